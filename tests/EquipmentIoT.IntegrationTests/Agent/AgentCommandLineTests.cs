using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using EquipmentIoT.IntegrationTests.Mqtt;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Agent;

/// <summary>The agent's command line and its service manager interface, as an engineer and systemd use them.</summary>
public sealed class AgentCommandLineTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Keygen_ExistingKey_RefusedWithoutForceReplacedWithForceAndPrivateFilesAre0600()
    {
        var dir = Directory.CreateTempSubdirectory("eqiot-keygen-").FullName;
        try
        {
            await using (var first = EqiotAgent.Start(["keygen", "--out", dir]))
            {
                Assert.Equal(0, await first.WaitForExitAsync(Long));
                Assert.Contains(first.StdoutLines, l => l.StartsWith("key id (kid)", StringComparison.Ordinal));
            }

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "agent.key")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "site.secret")));
            using var key = AgentKeys.LoadPublicKey(Path.Combine(dir, "agent.pub.pem"));
            var before = await File.ReadAllBytesAsync(Path.Combine(dir, "agent.key"));

            await using var second = EqiotAgent.Start(["keygen", "--out", dir]);
            Assert.Equal(1, await second.WaitForExitAsync(Long));
            Assert.Contains(second.StderrLines, l => l.Contains("pass --force", StringComparison.Ordinal));
            Assert.Equal(before, await File.ReadAllBytesAsync(Path.Combine(dir, "agent.key")));

            await using var forced = EqiotAgent.Start(["keygen", "--out", dir, "--force"]);
            Assert.Equal(0, await forced.WaitForExitAsync(Long));
            Assert.NotEqual(before, await File.ReadAllBytesAsync(Path.Combine(dir, "agent.key")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "agent.key")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Verify_RightAndWrongPublicKey_OkLinesAndExit0ThenRejectedAndExit1()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var agent = await AgentRun.CreateAsync("agent-verify", [AgentRun.SyntheticDevice("mr-01", metrics: 3)]);
        await agent.StartAsync(broker);

        await using var right = EqiotAgent.Start(["verify", "--broker", $"mqtt://127.0.0.1:{broker.Port}", "--agent", "agent-verify",
            "--public-key", agent.PublicKeyFile, "-C", "3", "-W", "50"]);
        Assert.Equal(0, await right.WaitForExitAsync(Long));
        Assert.Equal(3, right.StdoutLines.Count(l => l.Contains("signature ok", StringComparison.Ordinal)));

        var otherKey = Path.Combine(agent.Directory, "other.pub.pem");
        using (var other = AgentKeys.Generate())
        {
            AgentKeys.SavePublicKey(other, otherKey);
        }

        await using var wrong = EqiotAgent.Start(["verify", "--broker", $"mqtt://127.0.0.1:{broker.Port}", "--agent", "agent-verify",
            "--public-key", otherKey, "-C", "2", "-W", "50"]);
        Assert.Equal(1, await wrong.WaitForExitAsync(Long));
        Assert.Equal(2, wrong.StdoutLines.Count(l => l.StartsWith("REJECTED", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Run_UnderSystemd_SendsReadyWatchdogAndStopping()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var agent = await AgentRun.CreateAsync("agent-systemd", [AgentRun.SyntheticDevice("mr-01", metrics: 1)]);
        var socketPath = Path.Combine(agent.Directory, "notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        var received = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var listening = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            while (!stop.IsCancellationRequested)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
                received.Enqueue(Encoding.UTF8.GetString(buffer, 0, n));
            }
        });

        // As systemd passes them to a Type=notify service with WatchdogSec=0.4s.
        await agent.StartAsync(broker, new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = socketPath, ["WATCHDOG_USEC"] = "400000" });
        await Wait.UntilAsync(() => received.Any(m => m.Contains("READY=1", StringComparison.Ordinal)), Long, "READY=1");
        await Wait.UntilAsync(() => received.Count(m => m.Contains("WATCHDOG=1", StringComparison.Ordinal)) >= 3, Long, "three WATCHDOG=1 pings");
        Assert.Equal(0, await agent.StopAsync());
        await Wait.UntilAsync(() => received.Any(m => m.Contains("STOPPING=1", StringComparison.Ordinal)), Long, "STOPPING=1");

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listening);
        Assert.True(received.ToList().FindIndex(m => m.Contains("READY=1", StringComparison.Ordinal))
                    < received.ToList().FindIndex(m => m.Contains("STOPPING=1", StringComparison.Ordinal)));
    }
}
