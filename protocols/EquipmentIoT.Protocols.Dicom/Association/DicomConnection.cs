using System.Buffers;
using System.IO.Pipelines;
using EquipmentIoT.Protocols.Dicom.Data;
using EquipmentIoT.Protocols.Dicom.Dimse;
using EquipmentIoT.Protocols.Dicom.Pdu;

namespace EquipmentIoT.Protocols.Dicom.Association;

/// <summary>
/// One transport connection: reads whole PDUs through a <see cref="PipeReader"/> (lengths checked before
/// buffering), writes PDUs, and sends DIMSE messages fragmented into P-DATA-TF PDUs that fit the peer's
/// maximum length. Bytes and framing only; the association logic is the caller's.
/// </summary>
internal sealed class DicomConnection : IAsyncDisposable
{
    // Fragment size when the peer announces no limit (maximum length 0).
    private const int UnlimitedFragment = 64 * 1024;

    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public DicomConnection(Stream stream, TimeProvider time)
    {
        _stream = stream;
        _time = time;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 1024, leaveOpen: true));
    }

    /// <summary>The next PDU; null when the peer closed the connection between PDUs.</summary>
    /// <exception cref="DicomProtocolException">Malformed PDU, a length beyond the limits, or the connection closed inside a PDU.</exception>
    /// <exception cref="TimeoutException">Nothing complete arrived within <paramref name="timeout"/>.</exception>
    public async Task<DicomPdu?> ReadPduAsync(PduLimits limits, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(linked.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                DicomPdu? pdu;
                try
                {
                    if (PduReader.TryRead(ref buffer, limits, out pdu))
                    {
                        _reader.AdvanceTo(buffer.Start);
                        return pdu;
                    }
                }
                catch (DicomProtocolException)
                {
                    _reader.AdvanceTo(result.Buffer.End);
                    throw;
                }

                if (result.IsCompleted)
                {
                    var left = buffer.Length;
                    _reader.AdvanceTo(buffer.End);
                    if (left == 0) return null;
                    throw DicomProtocolException.Field("PDU", "PDU-length", 0, $"the connection closed {left} bytes into a PDU");
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no complete PDU within {timeout}");
        }
    }

    /// <summary>
    /// Reads and drops whatever the peer still sends until it closes, <paramref name="timeout"/> passes or
    /// <paramref name="maxBytes"/> were dropped (PS3.8 Sta13: waiting for the transport to close, so that
    /// our last PDU is not lost to a reset caused by unread data).
    /// </summary>
    public async Task DrainAsync(TimeSpan timeout, long maxBytes, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        long dropped = 0;
        try
        {
            while (dropped < maxBytes)
            {
                var result = await _reader.ReadAsync(linked.Token).ConfigureAwait(false);
                dropped += result.Buffer.Length;
                _reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted) return;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // Timed out, reset, or the reader was completed: the connection closes either way.
        }
    }

    /// <summary>Writes one PDU.</summary>
    public Task SendAsync(DicomPdu pdu, CancellationToken cancellationToken) => WriteAsync(PduWriter.ToArray(pdu), cancellationToken);

    /// <summary>
    /// Sends a DIMSE message on <paramref name="context"/>: the command set, then the data set in the
    /// context's transfer syntax, each cut into P-DATA-TF PDUs of one PDV that fit <paramref name="peerMaxLength"/>.
    /// </summary>
    public async Task SendMessageAsync(DimseMessage message, PresentationContext context, uint peerMaxLength, CancellationToken cancellationToken)
    {
        var command = DimseCommandCodec.Encode(message);
        var dataset = message.Dataset is null ? null : DatasetWriter.ToArray(message.Dataset, context.IsExplicitVR);
        // PS3.8 §9.3.5 and D.1: the maximum length bounds the P-DATA-TF variable field, i.e. the PDV items.
        var fragment = peerMaxLength == 0 ? UnlimitedFragment : (int)Math.Max(2, Math.Min(peerMaxLength, (uint)UnlimitedFragment) - PresentationDataValue.Overhead);
        var output = new ArrayBufferWriter<byte>(Math.Min(command.Length + (dataset?.Length ?? 0), 256 * 1024) + 64);
        Fragment(output, context.Id, isCommand: true, command, fragment);
        if (dataset is not null) Fragment(output, context.Id, isCommand: false, dataset, fragment);
        await WriteAsync(output.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    private static void Fragment(ArrayBufferWriter<byte> output, byte contextId, bool isCommand, byte[] bytes, int fragment)
    {
        var at = 0;
        do
        {
            var length = Math.Min(fragment, bytes.Length - at);
            PduWriter.WritePData(output, contextId, isCommand, isLast: at + length == bytes.Length, bytes.AsSpan(at, length));
            at += length;
        }
        while (at < bytes.Length);
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _writeLock.Dispose();
    }
}
