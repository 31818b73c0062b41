using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Adapters.Synthetic;
using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.Protocols.Telemetry.Model;
using EquipmentIoT.Testing;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Tests.Collection;

/// <summary>
/// The synthetic device on a fake clock: every configured metric each interval with the documented shape,
/// state, fault and exam events on their schedules, seeded values, and invented patient data only when asked.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SyntheticAdapterTests
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(20);
    private static readonly string[] InventedNames = ["ZHANG^SAN", "LI^SI", "WANG^WU", "张^三", "Doe^Jane"];

    [Fact]
    public async Task RunAsync_EachInterval_EveryMetricWithItsShapeAndTheClockTime()
    {
        var (sink, _, time) = await RunForAsync(Options(), seconds: 3);

        var t0 = Instant.FromDateTimeOffset(FakeTimeProvider.DefaultStart);
        Assert.Equal(4 * 4, sink.Metrics.Count);
        Assert.All(sink.Metrics, m => Assert.Equal("mr-01", m.Device));
        Assert.Equal(Enumerable.Range(0, 4).SelectMany(s => Enumerable.Repeat(t0 + Duration.FromSeconds(s), 4)), sink.Metrics.Select(m => m.Timestamp));
        Assert.Equal(["helium_level", "room_temp", "signal_000", "signal_001"], sink.Metrics.Take(4).Select(m => m.Name));
        Assert.All(sink.Metrics.Where(m => m.Name == "helium_level"), m => Assert.Equal((72.0, "%"), (m.Value, m.Unit)));
        // base + amplitude·sin(2πt/period), period 4 s: a quarter turn per second from a whole multiple of 4 s.
        Assert.Equal([21.0, 21.5, 21.0, 20.5], sink.Metrics.Where(m => m.Name == "room_temp").Select(m => m.Value));
        Assert.All(sink.Metrics.Where(m => m.Name.StartsWith("signal_", StringComparison.Ordinal)), m =>
        {
            Assert.Equal("1", m.Unit);
            Assert.InRange(m.Value, 0, 100);
        });
        Assert.Equal(FakeTimeProvider.DefaultStart.AddSeconds(3), time.GetUtcNow());
    }

    [Fact]
    public async Task RunAsync_SameSeed_SameValuesOtherSeedOtherValues()
    {
        var (first, _, _) = await RunForAsync(Options(seed: 7), seconds: 2);
        var (again, _, _) = await RunForAsync(Options(seed: 7), seconds: 2);
        var (other, _, _) = await RunForAsync(Options(seed: 8), seconds: 2);

        Assert.Equal(first.Metrics, again.Metrics);
        Assert.NotEqual(first.Metrics.Select(m => m.Value), other.Metrics.Select(m => m.Value));
    }

    [Fact]
    public async Task RunAsync_Schedules_StateFaultAndExamEventsWhenDue()
    {
        var (sink, _, _) = await RunForAsync(Options(), seconds: 6);

        var t0 = Instant.FromDateTimeOffset(FakeTimeProvider.DefaultStart);
        var events = sink.Events.Select(e => ((int)(e.Timestamp - t0).TotalSeconds, e.Type)).ToList();
        Assert.Equal(
        [
            (2, EventTypes.State), (3, EventTypes.Fault), (4, EventTypes.State), (4, EventTypes.ExamStarted), (4, EventTypes.ExamCompleted),
            (6, EventTypes.State), (6, EventTypes.Fault),
        ], events);
        var states = sink.Events.Where(e => e.Type == EventTypes.State).Select(e => (e.Data["previous"].AsString, e.Data["state"].AsString));
        Assert.Equal([("idle", "ready"), ("ready", "scanning"), ("scanning", "idle")], states);
        var faults = sink.Events.Where(e => e.Type == EventTypes.Fault).ToList();
        Assert.Equal([true, false], faults.Select(f => f.Data["active"].AsBoolean));
        Assert.All(faults, f => Assert.Equal("E-104", f.Data["code"].AsString));
    }

    [Fact]
    public async Task RunAsync_ExamWithoutFakePatientData_NoPatientAttributes()
    {
        var (sink, _, _) = await RunForAsync(Options(patientData: false), seconds: 4);

        var exams = sink.Events.Where(e => e.Type is EventTypes.ExamStarted or EventTypes.ExamCompleted).ToList();
        Assert.Equal(2, exams.Count);
        foreach (var exam in exams)
        {
            Assert.Equal(
                ["Modality", "NumberOfImages", "NumberOfSeries", "PerformedProcedureStepDescription", "PerformedProcedureStepID", "PerformedStationAETitle"],
                exam.Data.Keys.Order(StringComparer.Ordinal));
            Assert.Equal("MR", exam.Data["Modality"].AsString);
            Assert.Equal("MR-01", exam.Data["PerformedStationAETitle"].AsString);
            Assert.Equal("PPS000001", exam.Data["PerformedProcedureStepID"].AsString);
            Assert.Equal("synthetic exam", exam.Data["PerformedProcedureStepDescription"].AsString);
            Assert.InRange(exam.Data["NumberOfImages"].AsNumber, 240, 339);
        }
    }

    [Fact]
    public async Task RunAsync_ExamWithFakePatientData_InventedPatientOnBothEvents()
    {
        var (sink, _, _) = await RunForAsync(Options(patientData: true), seconds: 4);

        var started = Assert.Single(sink.Events, e => e.Type == EventTypes.ExamStarted);
        var completed = Assert.Single(sink.Events, e => e.Type == EventTypes.ExamCompleted);
        var name = started.Data["PatientName"].AsString;
        Assert.Contains(name, InventedNames);
        Assert.Matches("^MRN[0-9]{6}$", started.Data["PatientID"].AsString);
        Assert.Matches("^19[0-9]{6}$", started.Data["PatientBirthDate"].AsString);
        Assert.Equal("ACC00000001", started.Data["AccessionNumber"].AsString);
        Assert.Equal($"synthetic exam for {name}", started.Data["PerformedProcedureStepDescription"].AsString);
        Assert.Equal(started.Data, completed.Data);
        Assert.NotSame(started.Data, completed.Data);
    }

    [Fact]
    public async Task Status_BeforeAndWhileRunning_StartingThenOk()
    {
        var time = new FakeTimeProvider();
        var adapter = new SyntheticAdapter("mr-01", "mr", Options(), time.Clock, time);
        Assert.Equal(new AdapterStatus("mr-01", "synthetic", AdapterState.Starting, null), adapter.Status);
        var sink = new RecordingSink();
        using var stop = new CancellationTokenSource();

        var run = adapter.RunAsync(sink, stop.Token);
        await Wait.UntilAsync(() => sink.Metrics.Count == 4, WaitLimit, "the first readings");

        Assert.Equal(AdapterState.Ok, adapter.Status.State);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(WaitLimit));
    }

    private static SyntheticDeviceOptions Options(int seed = 7, bool patientData = false) => new()
    {
        Interval = TimeSpan.FromSeconds(1),
        Metrics =
        [
            new SyntheticMetric { Name = "helium_level", Unit = "%", Base = 72 },
            new SyntheticMetric { Name = "room_temp", Unit = "Cel", Base = 21, Amplitude = 0.5, Period = TimeSpan.FromSeconds(4) },
        ],
        GeneratedMetrics = 2,
        StateChangeEvery = TimeSpan.FromSeconds(2),
        FaultEvery = TimeSpan.FromSeconds(3),
        ExamEvery = TimeSpan.FromSeconds(4),
        IncludeFakePatientData = patientData,
        Seed = seed,
    };

    /// <summary>Runs the adapter for the first reading plus <paramref name="seconds"/> one-second ticks, then stops it.</summary>
    private static async Task<(RecordingSink Sink, SyntheticAdapter Adapter, FakeTimeProvider Time)> RunForAsync(SyntheticDeviceOptions options, int seconds)
    {
        var time = new FakeTimeProvider();
        var adapter = new SyntheticAdapter("mr-01", "mr", options, time.Clock, time);
        var sink = new RecordingSink();
        var perTick = options.Metrics.Count + options.GeneratedMetrics;
        using var stop = new CancellationTokenSource();
        var run = adapter.RunAsync(sink, stop.Token);
        await Wait.UntilAsync(() => sink.Metrics.Count == perTick, WaitLimit, "the first readings");
        for (var tick = 1; tick <= seconds; tick++)
        {
            time.Advance(options.Interval);
            var expected = perTick * (tick + 1);
            await Wait.UntilAsync(() => sink.Metrics.Count == expected, WaitLimit, $"the readings of tick {tick}");
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(WaitLimit));
        return (sink, adapter, time);
    }
}
