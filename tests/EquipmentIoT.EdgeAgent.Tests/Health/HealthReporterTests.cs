using System.Runtime.Versioning;
using System.Text.Json;
using EquipmentIoT.EdgeAgent.Buffer;
using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.EdgeAgent.Configuration;
using EquipmentIoT.EdgeAgent.Health;
using EquipmentIoT.EdgeAgent.Hosting;
using EquipmentIoT.EdgeAgent.Tests.Buffer;
using EquipmentIoT.EdgeAgent.Tests.Collection;
using EquipmentIoT.EdgeAgent.Tests.Publishing;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EquipmentIoT.EdgeAgent.Tests.Health;

/// <summary>
/// The health record (SPEC.md §9) built from a real buffer, the counters, the adapters' statuses and the
/// transport, read back with System.Text.Json as the cloud would.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class HealthReporterTests
{
    private static readonly AgentOptions Options = new() { Id = "edge-test-01" };

    [Fact]
    public async Task Build_Online_BufferFiguresDroppedCountsAdaptersTransportAndClock()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        await BufferTestContext.AppendRangeAsync(buffer, BufferStreams.Events, 1, 3);
        await BufferTestContext.AppendRangeAsync(buffer, BufferStreams.Metrics, 1, 2);
        Assert.True(buffer.TryReadNextUnsent(BufferStreams.Metrics, out _));
        buffer.Acknowledge(BufferStreams.Metrics, 1);
        var counters = new AgentCounters();
        counters.Thinned(7);
        counters.Dropped(5);
        counters.Dropped(3);
        counters.Error(context.Time, "disk slow");
        using var reporter = Reporter(context, buffer, counters);
        var adapters = new AdapterSupervisor(
        [
            new FakeAdapter("mr-01") { Status = new AdapterStatus("mr-01", "synthetic", AdapterState.Ok, null) },
            new FakeAdapter("ct-02", "serial") { Status = new AdapterStatus("ct-02", "serial", AdapterState.Degraded, "3 bad lines") },
            new FakeAdapter("am-03", "modbus-tcp") { Status = new AdapterStatus("am-03", "modbus-tcp", AdapterState.Down, "no reply") },
        ], counters, context.Time, NullLogger<AdapterSupervisor>.Instance);
        reporter.Attach(new FakeTransport(), adapters);
        context.Time.Advance(TimeSpan.FromSeconds(90));

        using var json = JsonDocument.Parse(reporter.Build("online"));

        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("v").GetInt32());
        Assert.Equal("edge-test-01", root.GetProperty("agent").GetString());
        Assert.Equal("online", root.GetProperty("status").GetString());
        Assert.Equal(AgentVersion.Text, root.GetProperty("version").GetString());
        Assert.Equal("2026-01-01T00:00:00.000Z", root.GetProperty("started").GetString());
        Assert.Equal("2026-01-01T00:01:30.000Z", root.GetProperty("at").GetString());
        Assert.Equal(90, root.GetProperty("uptimeSeconds").GetInt64());
        var b = root.GetProperty("buffer");
        Assert.Equal(4, b.GetProperty("unsentBatches").GetInt64()); // events 1-3, metrics 2
        Assert.Equal(4 * TestRecords.DefaultLength, b.GetProperty("unsentBytes").GetInt64());
        Assert.Equal(90, b.GetProperty("oldestUnsentAgeSeconds").GetDouble());
        Assert.Equal(5 * TestRecords.RecordBytes, b.GetProperty("usedBytes").GetInt64());
        Assert.Equal(1L << 30, b.GetProperty("maxBytes").GetInt64());
        Assert.Equal("normal", b.GetProperty("pressure").GetString());
        var d = root.GetProperty("dropped");
        Assert.Equal(7, d.GetProperty("thinnedPoints").GetInt64());
        Assert.Equal(8, d.GetProperty("droppedPoints").GetInt64());
        Assert.Equal(2, d.GetProperty("droppedBatches").GetInt64());
        var a = root.GetProperty("adapters").EnumerateArray()
            .Select(x => (x.GetProperty("device").GetString(), x.GetProperty("adapter").GetString(), x.GetProperty("status").GetString(), x.GetProperty("lastError").GetString()))
            .ToList();
        Assert.Equal([("mr-01", "synthetic", "ok", null), ("ct-02", "serial", "degraded", "3 bad lines"), ("am-03", "modbus-tcp", "down", "no reply")], a);
        var t = root.GetProperty("transport");
        Assert.Equal("fake", t.GetProperty("kind").GetString());
        Assert.True(t.GetProperty("connected").GetBoolean());
        Assert.Equal(JsonValueKind.Null, t.GetProperty("lastError").ValueKind);
        Assert.Equal("2026-01-01T00:00:00Z disk slow", root.GetProperty("lastError").GetString());
        Assert.Equal("2026-01-01T00:01:30.000Z", root.GetProperty("clock").GetProperty("utc").GetString());
    }

    [Fact]
    public async Task Build_Offline_StatusOfflineWithTheSameFigures()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        await BufferTestContext.AppendRangeAsync(buffer, BufferStreams.Events, 1, 2);
        using var reporter = Reporter(context, buffer, new AgentCounters());

        using var online = JsonDocument.Parse(reporter.Build("online"));
        using var offline = JsonDocument.Parse(reporter.Build("offline"));

        Assert.Equal("offline", offline.RootElement.GetProperty("status").GetString());
        Assert.Equal(2, offline.RootElement.GetProperty("buffer").GetProperty("unsentBatches").GetInt64());
        Assert.Equal(online.RootElement.GetProperty("buffer").GetRawText(), offline.RootElement.GetProperty("buffer").GetRawText());
    }

    [Fact]
    public async Task Build_NothingUnsentNothingAttached_NullAgeEmptyAdaptersNoTransport()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        using var reporter = Reporter(context, buffer, new AgentCounters());

        using var json = JsonDocument.Parse(reporter.Build("online"));

        var root = json.RootElement;
        Assert.Equal(0, root.GetProperty("buffer").GetProperty("unsentBatches").GetInt64());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("buffer").GetProperty("oldestUnsentAgeSeconds").ValueKind);
        Assert.Equal(0, root.GetProperty("adapters").GetArrayLength());
        Assert.False(root.TryGetProperty("transport", out _));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("lastError").ValueKind);
    }

    [Fact]
    public async Task Build_TransportLostThenBack_TransportErrorShownThenCleared()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        using var reporter = Reporter(context, buffer, new AgentCounters());
        var transport = new FakeTransport();
        reporter.Attach(transport, Supervisor(context));

        transport.RaiseDisconnected(new IOException("connection reset by peer"));
        using (var json = JsonDocument.Parse(reporter.Build("online")))
        {
            var t = json.RootElement.GetProperty("transport");
            Assert.False(t.GetProperty("connected").GetBoolean());
            Assert.Equal("connection reset by peer", t.GetProperty("lastError").GetString());
        }

        transport.RaiseConnected();
        using (var json = JsonDocument.Parse(reporter.Build("online")))
        {
            var t = json.RootElement.GetProperty("transport");
            Assert.True(t.GetProperty("connected").GetBoolean());
            Assert.Equal(JsonValueKind.Null, t.GetProperty("lastError").ValueKind);
        }
    }

    [Fact]
    public async Task Build_AdapterCrashed_ShownDownWithTheCrash()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        var counters = new AgentCounters();
        using var reporter = Reporter(context, buffer, counters);
        var time = new FakeTimeProvider();
        var crashing = new FakeAdapter("mr-01") { Behaviour = (_, _, _) => throw new InvalidOperationException("unexpected frame") };
        var supervisor = new AdapterSupervisor([crashing], counters, time, NullLogger<AdapterSupervisor>.Instance);
        reporter.Attach(new FakeTransport(), supervisor);
        using var stop = new CancellationTokenSource();
        var run = supervisor.RunAsync(new RecordingSink(), stop.Token);
        await Wait.UntilAsync(() => time.TimersDueIn(TimeSpan.FromSeconds(1)) == 1, TimeSpan.FromSeconds(20), "the crash and its backoff");

        using var json = JsonDocument.Parse(reporter.Build("online"));

        var adapter = Assert.Single(json.RootElement.GetProperty("adapters").EnumerateArray().ToList());
        Assert.Equal("down", adapter.GetProperty("status").GetString());
        Assert.Equal("mr-01: adapter failed: InvalidOperationException: unexpected frame", adapter.GetProperty("lastError").GetString());
        await stop.CancelAsync();
        // Stopped during the restart backoff: AdapterSupervisorTests covers how that ends.
        await Record.ExceptionAsync(() => run.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Build_BatchesHandedToTheTransportNotYetAcknowledged_BytesAndAgeCountThemToo()
    {
        // SPEC.md §9: buffer = "batches and bytes not yet acknowledged by the broker, age of the oldest".
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        await BufferTestContext.AppendRangeAsync(buffer, BufferStreams.Events, 1, 3);
        context.Time.Advance(TimeSpan.FromSeconds(60));
        // The forwarder has them in flight: read past, not acknowledged.
        for (var i = 0; i < 3; i++) Assert.True(buffer.TryReadNextUnsent(BufferStreams.Events, out _));
        using var reporter = Reporter(context, buffer, new AgentCounters());

        using var json = JsonDocument.Parse(reporter.Build("online"));

        var b = json.RootElement.GetProperty("buffer");
        Assert.Equal(3, b.GetProperty("unsentBatches").GetInt64());
        Assert.Equal(3 * TestRecords.DefaultLength, b.GetProperty("unsentBytes").GetInt64());
        Assert.Equal(JsonValueKind.Number, b.GetProperty("oldestUnsentAgeSeconds").ValueKind);
        Assert.Equal(60, b.GetProperty("oldestUnsentAgeSeconds").GetDouble());
    }

    private static HealthReporter Reporter(BufferTestContext context, DurableBuffer buffer, AgentCounters counters) =>
        new(Options, buffer, counters, new TimeProviderClock(context.Time), context.Time, NullLogger<HealthReporter>.Instance);

    private static AdapterSupervisor Supervisor(BufferTestContext context) =>
        new([], new AgentCounters(), context.Time, NullLogger<AdapterSupervisor>.Instance);
}
