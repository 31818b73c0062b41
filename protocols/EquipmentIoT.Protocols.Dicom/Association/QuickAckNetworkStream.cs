using System.Net.Sockets;

namespace EquipmentIoT.Protocols.Dicom.Association;

/// <summary>
/// The listener's side of a connection, acknowledging every segment at once (Linux TCP_QUICKACK, set again after
/// each read because the kernel drops back to delayed ACKs). Many modalities' DICOM stacks (dcmtk's among them)
/// write a P-DATA-TF as two writes, header then body, with Nagle's algorithm on: the body waits for the ACK of the
/// header, and a delayed ACK makes that ~40 ms per message (measured with echoscu: 54 ms an association).
/// </summary>
internal sealed class QuickAckNetworkStream(Socket socket) : NetworkStream(socket, ownsSocket: true)
{
    // IPPROTO_TCP / TCP_QUICKACK from <netinet/tcp.h>; elsewhere than Linux the option is simply not applied.
    private const int TcpQuickAck = 12;
    private bool _unsupported = !OperatingSystem.IsLinux();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await base.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        QuickAck();
        return read;
    }

    public override int Read(Span<byte> buffer)
    {
        var read = base.Read(buffer);
        QuickAck();
        return read;
    }

    private void QuickAck()
    {
        if (_unsupported) return;
        try
        {
            Socket.SetRawSocketOption((int)SocketOptionLevel.Tcp, TcpQuickAck, [1, 0, 0, 0]);
        }
        catch (SocketException)
        {
            _unsupported = true; // closed, or a kernel without it: the connection works as before
        }
        catch (ObjectDisposedException)
        {
            _unsupported = true;
        }
    }
}
