using System.Globalization;
using EquipmentIoT.Protocols.Dicom;
using EquipmentIoT.Protocols.Dicom.Association;
using EquipmentIoT.Protocols.Dicom.Pdu;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Dicom;

/// <summary>Our SCU (<see cref="DicomClient"/>) against dcmtk's storescp, a Verification SCP we did not write.</summary>
public sealed class StorescpEchoTests
{
    [Fact]
    public async Task Client_EchoToStorescp_SucceedsWithinItsSmallMaxPdu()
    {
        var port = FreePort.Next();
        await using var scp = await StartAsync(port, "-pdu", "4096");
        await using var client = await ConnectAsync(port);
        Assert.Equal(4096u, client.Association.PeerMaxLength);
        Assert.True((await client.EchoAsync(CancellationToken.None)).Status.IsSuccess);
        Assert.True((await client.EchoAsync(CancellationToken.None)).Status.IsSuccess);
        await client.ReleaseAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Client_StorescpRefuses_GetsRejection()
    {
        var port = FreePort.Next();
        await using var scp = await StartAsync(port, "--refuse");
        var e = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() => ConnectAsync(port));
        Assert.Equal(AssociateRejectSource.ServiceUser, e.Reject.Source);
    }

    private static Task<DicomClient> ConnectAsync(int port) => DicomClient.ConnectAsync("127.0.0.1", port,
        new DicomClientOptions { CallingAeTitle = "EQIOT-SIM", CalledAeTitle = "STORESCP" }, [DicomUids.Verification], TimeProvider.System, CancellationToken.None);

    private static async Task<Storescp> StartAsync(int port, params string[] options)
    {
        var directory = Directory.CreateTempSubdirectory("eqiot-storescp-");
        var scp = ChildProcess.Start(ExternalTool.Require("storescp", "dcmtk"),
            [.. options, "-aet", "STORESCP", "-od", directory.FullName, port.ToString(CultureInfo.InvariantCulture)]);
        // Listening once a TCP connect succeeds (storescp prints nothing at startup without -v).
        await Wait.UntilAsync(async ct =>
        {
            using var probe = new System.Net.Sockets.TcpClient();
            try
            {
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, port, ct);
                return true;
            }
            catch (System.Net.Sockets.SocketException)
            {
                return scp.HasExited ? throw new InvalidOperationException($"storescp exited: {scp.StderrTail()}") : false;
            }
        }, TimeSpan.FromSeconds(20), "storescp to listen");
        return new Storescp(scp, directory);
    }

    private sealed record Storescp(ChildProcess Process, DirectoryInfo Directory) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Process.DisposeAsync();
            Directory.Delete(recursive: true);
        }
    }
}
