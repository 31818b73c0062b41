using System.Diagnostics;
using System.Net.Sockets;
using EquipmentIoT.Protocols.Dicom;
using EquipmentIoT.Protocols.Dicom.Association;
using EquipmentIoT.Protocols.Dicom.Pdu;

namespace EquipmentIoT.IntegrationTests.Dicom;

/// <summary>
/// A corpus of broken peers over raw TCP: every case must end in A-ABORT, A-ASSOCIATE-RJ or a closed
/// socket within a bounded time, never a crash or a hang, and the listener must serve a good association
/// afterwards.
/// </summary>
public sealed class MalformedPduTests
{
    private static readonly TimeSpan Artim = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static TheoryData<string> Cases => new(Corpus.Keys);

    private static readonly Dictionary<string, (bool Associate, byte[] Bytes)> Corpus = new()
    {
        ["garbage"] = (false, Enumerable.Range(0, 64).Select(i => unchecked((byte)(i * 37 + 11))).ToArray()),
        ["unknown PDU type"] = (false, Hex("08 00 00000004 00000000")),
        ["P-DATA before association"] = (false, Hex("04 00 0000000A 00000006 01 03 00000000")),
        ["A-RELEASE-RQ before association"] = (false, PduWriter.ToArray(ReleaseRequestPdu.Instance)),
        ["A-ASSOCIATE-AC sent to the acceptor"] = (false, Accept()),
        ["A-ASSOCIATE-RQ longer than the maximum"] = (false, Hex("01 00 7FFFFFFF 0001 0000")),
        ["A-ASSOCIATE-RQ truncated, then silence"] = (false, Request()[..50]),
        ["A-ASSOCIATE-RQ with an item longer than the PDU"] = (false, RequestWithItemLength(0x7FFF)),
        ["A-ASSOCIATE-RQ without presentation contexts"] = (false, RequestWithoutContexts()),
        ["A-RELEASE-RQ with a wrong length"] = (false, Hex("05 00 00000002 0000")),
        ["silent peer"] = (false, []),
        ["P-DATA longer than the maximum"] = (true, Hex("04 00 00100000 000FFFFA 01 03")),
        ["P-DATA on a context never accepted"] = (true, Hex("04 00 0000000A 00000006 09 03 00000000")),
        ["P-DATA with an even context id"] = (true, Hex("04 00 0000000A 00000006 02 03 00000000")),
        ["P-DATA with a garbage command set"] = (true, Hex("04 00 0000000E 0000000A 01 03 0000 0000 FFFF FFFF")),
        ["data set fragment before the command"] = (true, Hex("04 00 0000000A 00000006 01 02 00000000")),
        ["second A-ASSOCIATE-RQ"] = (true, Request()),
        ["P-DATA truncated, then silence"] = (true, Hex("04 00 00000100 000000FC 01")),
        ["A-ABORT from the peer"] = (true, PduWriter.ToArray(new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified))),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task MalformedInput_EndsInAbortRejectOrClose_AndListenerKeepsServing(string name)
    {
        await using var listener = await MppsListenerFixture.StartAsync(o =>
        {
            o.ArtimTimeout = Artim;
            o.IdleTimeout = Artim;
        });
        var (associate, bytes) = Corpus[name];
        using (var socket = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(Loopback.EndPoint(listener.Port));
            if (associate)
            {
                await socket.SendAsync(Request());
                var answer = await ReadUntilCloseOrCountAsync(socket, expected: 1);
                Assert.True(answer.Length > 0 && answer[0] == (byte)PduType.AssociateAccept, $"{name}: expected A-ASSOCIATE-AC first");
            }

            var clock = Stopwatch.StartNew();
            if (bytes.Length > 0) await socket.SendAsync(bytes);
            var received = await ReadUntilCloseOrCountAsync(socket, expected: int.MaxValue);
            Assert.True(clock.Elapsed < Bound, $"{name}: the listener took {clock.Elapsed} to end the connection");
            Assert.True(received.Length == 0 || received[0] is (byte)PduType.Abort or (byte)PduType.AssociateReject,
                $"{name}: got {Convert.ToHexString(received.AsSpan(0, Math.Min(16, received.Length)))} instead of A-ABORT, A-ASSOCIATE-RJ or a close");
        }

        // The listener is still there and serves a well-behaved SCU.
        await using var client = await DicomClient.ConnectAsync("127.0.0.1", listener.Port,
            new DicomClientOptions { CallingAeTitle = "ECHOSCU", CalledAeTitle = MppsListenerFixture.AeTitle }, [DicomUids.Verification], TimeProvider.System, CancellationToken.None);
        Assert.True((await client.EchoAsync(CancellationToken.None)).Status.IsSuccess);
        await client.ReleaseAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Corpus_AllAtOnce_ListenerSurvivesAndServes()
    {
        await using var listener = await MppsListenerFixture.StartAsync(o =>
        {
            o.ArtimTimeout = Artim;
            o.IdleTimeout = Artim;
            o.MaxAssociations = 32;
        });
        await Task.WhenAll(Corpus.Values.Where(c => !c.Associate).Select(async c =>
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(Loopback.EndPoint(listener.Port));
            if (c.Bytes.Length > 0) await socket.SendAsync(c.Bytes);
            await ReadUntilCloseOrCountAsync(socket, int.MaxValue);
        }));
        var statistics = listener.Adapter.ServerStatistics!;
        Assert.True(statistics.ProtocolErrors + statistics.Timeouts >= 8, $"{statistics}");
        await using var client = await DicomClient.ConnectAsync("127.0.0.1", listener.Port,
            new DicomClientOptions { CallingAeTitle = "ECHOSCU", CalledAeTitle = MppsListenerFixture.AeTitle }, [DicomUids.Verification], TimeProvider.System, CancellationToken.None);
        Assert.True((await client.EchoAsync(CancellationToken.None)).Status.IsSuccess);
    }

    // Reads until the peer closes (or, with a count, until that many PDU headers' worth arrived); bounded.
    private static async Task<byte[]> ReadUntilCloseOrCountAsync(Socket socket, int expected)
    {
        using var deadline = new CancellationTokenSource(Bound);
        var received = new List<byte>();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                if (n == 0) break;
                received.AddRange(buffer.AsSpan(0, n));
                var complete = received.Count >= 6 && received.Count >= 6 + (received[2] << 24 | received[3] << 16 | received[4] << 8 | received[5]);
                if (complete && expected == 1) break;
                // A well-behaved peer closes on A-ABORT or A-ASSOCIATE-RJ (the listener waits for that, ARTIM-bounded).
                if (complete && received[0] is (byte)PduType.Abort or (byte)PduType.AssociateReject) break;
            }
        }
        catch (SocketException)
        {
            // Reset by the listener: closed.
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the listener neither answered nor closed within {Bound}");
        }

        return [.. received];
    }

    private static byte[] Request() => PduWriter.ToArray(new AssociateRequestPdu(MppsListenerFixture.AeTitle, "CT01", DicomUids.ApplicationContext,
        [new PresentationContextProposal(1, DicomUids.ModalityPerformedProcedureStep, [DicomUids.ImplicitVRLittleEndian])],
        new UserInformation(16384, "1.2.3", null)));

    private static byte[] Accept() => PduWriter.ToArray(new AssociateAcceptPdu(MppsListenerFixture.AeTitle, "CT01", DicomUids.ApplicationContext,
        [new PresentationContextResult(1, PresentationContextResultCode.Acceptance, DicomUids.ImplicitVRLittleEndian)], new UserInformation(16384, "1.2.3", null)));

    private static byte[] RequestWithItemLength(ushort length)
    {
        var bytes = Request();
        // The application context item starts right after the 74-byte fixed part; its length is at 76-77.
        bytes[76] = (byte)(length >> 8);
        bytes[77] = unchecked((byte)length);
        return bytes;
    }

    private static byte[] RequestWithoutContexts()
    {
        var full = Request();
        var withContexts = new AssociateRequestPdu(MppsListenerFixture.AeTitle, "CT01", DicomUids.ApplicationContext, [], new UserInformation(16384, "1.2.3", null));
        Assert.NotEqual(full.Length, PduWriter.ToArray(withContexts).Length);
        return PduWriter.ToArray(withContexts);
    }

    private static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", "", StringComparison.Ordinal));
}
