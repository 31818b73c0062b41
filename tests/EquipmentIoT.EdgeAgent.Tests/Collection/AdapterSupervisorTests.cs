using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.EdgeAgent.Health;
using EquipmentIoT.Protocols.Telemetry.Model;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EquipmentIoT.EdgeAgent.Tests.Collection;

/// <summary>
/// An adapter that fails is shown down with its error and restarted with a doubling, capped backoff; the
/// other adapters never notice. Time is fake: each backoff is walked through exactly.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class AdapterSupervisorTests
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task RunAsync_AdapterThrows_DownWithItsErrorRestartedWithBackoffOthersKeepRunning()
    {
        var time = new FakeTimeProvider();
        var counters = new AgentCounters();
        var failing = new FakeAdapter("mr-01");
        failing.Behaviour = (attempt, _, ct) => attempt <= 3
            ? throw new InvalidOperationException($"boom {attempt}")
            : failing.RunUntilCancelledAsync(ct);
        var healthy = FakeAdapter.RunningUntilCancelled("ct-02");
        var supervisor = new AdapterSupervisor([failing, healthy], counters, time, NullLogger<AdapterSupervisor>.Instance);
        using var stop = new CancellationTokenSource();
        var run = supervisor.RunAsync(new RecordingSink(), stop.Token);
        // Adapters start on the thread pool: on a loaded machine the healthy one may start after the first failure.
        await Wait.UntilAsync(() => healthy.Running, WaitLimit, "the healthy adapter to start");

        foreach (var (attempt, backoff) in new[] { (1, 1), (2, 2), (3, 4) })
        {
            await Wait.UntilAsync(() => failing.Starts == attempt && time.TimersDueIn(TimeSpan.FromSeconds(backoff)) == 1, WaitLimit,
                $"failure {attempt} and a {backoff} s backoff");
            var status = Assert.Single(supervisor.Statuses(), s => s.Device == "mr-01");
            Assert.Equal(AdapterState.Down, status.State);
            Assert.Equal($"mr-01: adapter failed: InvalidOperationException: boom {attempt}", status.LastError);
            Assert.EndsWith($"mr-01: adapter failed: InvalidOperationException: boom {attempt}", counters.LastError, StringComparison.Ordinal);
            Assert.True(healthy.Running);
            Assert.Equal(AdapterState.Ok, Assert.Single(supervisor.Statuses(), s => s.Device == "ct-02").State);
            time.Advance(TimeSpan.FromSeconds(backoff));
        }

        await Wait.UntilAsync(() => failing.Running, WaitLimit, "the fourth start to run");
        Assert.All(supervisor.Statuses(), s => Assert.Equal(AdapterState.Ok, s.State));
        Assert.All(supervisor.Statuses(), s => Assert.Null(s.LastError));
        Assert.Equal(4, failing.Starts);
        Assert.Equal(1, healthy.Starts);

        await stop.CancelAsync();
        await run.WaitAsync(WaitLimit);
    }

    [Fact]
    public async Task Statuses_TwoAdaptersOfOneDeviceOneCrashes_OnlyThatOneIsDown()
    {
        // A profile with serial and Modbus sections gives one device two adapters.
        var time = new FakeTimeProvider();
        var failing = new FakeAdapter("ct-01") { Behaviour = (attempt, _, _) => throw new IOException($"port gone ({attempt})") };
        var healthy = FakeAdapter.RunningUntilCancelled("ct-01");
        var supervisor = new AdapterSupervisor([failing, healthy], new AgentCounters(), time, NullLogger<AdapterSupervisor>.Instance);
        using var stop = new CancellationTokenSource();
        var run = supervisor.RunAsync(new RecordingSink(), stop.Token);

        await Wait.UntilAsync(() => healthy.Running && supervisor.Statuses().Any(s => s.State == AdapterState.Down), WaitLimit, "one crash and one running");
        var statuses = supervisor.Statuses();
        Assert.Equal(1, statuses.Count(s => s.State == AdapterState.Down && s.LastError!.Contains("port gone", StringComparison.Ordinal)));
        Assert.Equal(1, statuses.Count(s => s.State == AdapterState.Ok));

        await stop.CancelAsync();
        await run.WaitAsync(WaitLimit);
    }

    [Fact]
    public async Task RunAsync_AdapterKeepsFailing_BackoffDoublesUpToOneMinute()
    {
        var time = new FakeTimeProvider();
        var failing = new FakeAdapter("mr-01") { Behaviour = (attempt, _, _) => throw new IOException($"port gone ({attempt})") };
        var supervisor = new AdapterSupervisor([failing], new AgentCounters(), time, NullLogger<AdapterSupervisor>.Instance);
        using var stop = new CancellationTokenSource();
        var run = supervisor.RunAsync(new RecordingSink(), stop.Token);

        var expected = new[] { 1, 2, 4, 8, 16, 32, 60, 60, 60 };
        for (var i = 0; i < expected.Length; i++)
        {
            var backoff = TimeSpan.FromSeconds(expected[i]);
            await Wait.UntilAsync(() => failing.Starts == i + 1 && time.TimersDueIn(backoff) == 1, WaitLimit, $"failure {i + 1} and a {backoff} backoff");
            time.Advance(backoff);
        }

        await Wait.UntilAsync(() => failing.Starts == expected.Length + 1, WaitLimit, "the last restart");
        Assert.Contains("IOException: port gone", Assert.Single(supervisor.Statuses()).LastError, StringComparison.Ordinal);
        await stop.CancelAsync();
        // Stopped during a backoff: how that ends is the next test's subject; here only that it ends.
        await Record.ExceptionAsync(() => run.WaitAsync(WaitLimit));
        Assert.True(run.IsCompleted);
    }

    [Fact]
    public async Task RunAsync_StoppedWhileAnAdapterWaitsToRestart_CompletesWithoutError()
    {
        // The worker awaits the supervisor at shutdown before it flushes the pipeline to disk: stopping
        // during a restart backoff must end the supervisor normally, as stopping a running adapter does.
        var time = new FakeTimeProvider();
        var failing = new FakeAdapter("mr-01") { Behaviour = (_, _, _) => throw new InvalidOperationException("boom") };
        var healthy = FakeAdapter.RunningUntilCancelled("ct-02");
        var supervisor = new AdapterSupervisor([failing, healthy], new AgentCounters(), time, NullLogger<AdapterSupervisor>.Instance);
        using var stop = new CancellationTokenSource();
        var run = supervisor.RunAsync(new RecordingSink(), stop.Token);
        await Wait.UntilAsync(() => time.TimersDueIn(TimeSpan.FromSeconds(1)) == 1 && healthy.Running, WaitLimit, "a restart backoff");

        await stop.CancelAsync();

        var error = await Record.ExceptionAsync(() => run.WaitAsync(WaitLimit));
        Assert.Null(error);
        Assert.True(run.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task RunAsync_StoppedWhileAdaptersRun_CompletesWithoutError()
    {
        var adapters = new[] { FakeAdapter.RunningUntilCancelled("mr-01"), FakeAdapter.RunningUntilCancelled("ct-02") };
        var supervisor = new AdapterSupervisor(adapters, new AgentCounters(), new FakeTimeProvider(), NullLogger<AdapterSupervisor>.Instance);
        using var stop = new CancellationTokenSource();
        var run = supervisor.RunAsync(new RecordingSink(), stop.Token);
        await Wait.UntilAsync(() => adapters.All(a => a.Running), WaitLimit, "both adapters running");

        await stop.CancelAsync();

        await run.WaitAsync(WaitLimit);
        Assert.All(adapters, a => Assert.Equal(1, a.Starts));
    }

    [Fact]
    public void Statuses_NotStarted_EachAdaptersOwnStatus()
    {
        var mr = new FakeAdapter("mr-01") { Status = new AdapterStatus("mr-01", "synthetic", AdapterState.Degraded, "3 bad lines") };
        var ct = new FakeAdapter("ct-02", "serial");
        var supervisor = new AdapterSupervisor([mr, ct], new AgentCounters(), new FakeTimeProvider(), NullLogger<AdapterSupervisor>.Instance);

        Assert.Equal([mr.Status, ct.Status], supervisor.Statuses());
    }
}

/// <summary>Keeps what adapters hand over.</summary>
internal sealed class RecordingSink : ITelemetrySink
{
    private readonly List<MetricPoint> _metrics = [];
    private readonly List<TelemetryEvent> _events = [];

    public IReadOnlyList<MetricPoint> Metrics
    {
        get
        {
            lock (_metrics) return [.. _metrics];
        }
    }

    public IReadOnlyList<TelemetryEvent> Events
    {
        get
        {
            lock (_events) return [.. _events];
        }
    }

    public void AddMetric(in MetricPoint point)
    {
        lock (_metrics) _metrics.Add(point);
    }

    public void AddEvent(TelemetryEvent telemetryEvent)
    {
        lock (_events) _events.Add(telemetryEvent);
    }
}
