using System.Buffers;
using System.Security.Cryptography;
using System.Runtime.Versioning;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Bench.CloudIngest;

/// <summary>
/// The demo agent's telemetry over a span of time, sealed as the agent seals it, in the order it would arrive.
/// The devices, metrics and event cadences are those of edge-agent/examples/synthetic.json: mr-01 (5 metrics,
/// a state change every 30 s, an exam every 60 s), ct-02 (2 metrics, state every 20 s, a fault every 2 min, an
/// exam every 45 s), am-03 (3 metrics, state every 60 s), every metric read once a second. With batches closed
/// after at most 1 s (Batch:MaxAge) that is one metrics batch a second of 10 points, and an events batch in each
/// second that has events (an exam is two: started and completed); exam data as it leaves the agent, PHI
/// scrubbed (no names; the patient id pseudonymised).
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class DemoRateLoad(ECDsa key, Instant start, long seconds)
{
    public const string AgentId = "demo-agent-01";

    private static readonly (string Device, string Metric, string Unit, double Base, double Amplitude, double PeriodSeconds, double Noise)[] Metrics =
    [
        ("mr-01", "helium_level", "%", 72.0, 0, 1, 0.02),
        ("mr-01", "helium_pressure", "psi", 1.2, 0.05, 300, 0.005),
        ("mr-01", "chiller_water_temp", "Cel", 14.0, 1.0, 1200, 0.1),
        ("mr-01", "room_temp", "Cel", 21.0, 0.5, 3600, 0.05),
        ("mr-01", "room_humidity", "%", 45.0, 3.0, 3600, 0.2),
        ("ct-02", "tube_temperature", "Cel", 45.0, 10.0, 180, 0.5),
        ("ct-02", "gantry_rpm", "/min", 120.0, 0, 1, 1.0),
        ("am-03", "o2_ppm", "ppm", 400.0, 50.0, 120, 5.0),
        ("am-03", "chamber_temp", "Cel", 35.0, 2.0, 3600, 0.1),
        ("am-03", "laser_power", "W", 370.0, 20.0, 30, 2.0),
    ];

    private static readonly string[] DefaultStates = ["idle", "ready", "scanning"];
    private static readonly string[] PrinterStates = ["idle", "building", "paused"];

#pragma warning disable CA5394 // Benchmark values, not security: a seeded generator makes runs reproducible.
    private readonly Random _random = new(20260402);
#pragma warning restore CA5394
    private readonly JwsSigner _signer = new(key);
    private readonly ArrayBufferWriter<byte> _scratch = new(16 * 1024);
    private long _metricsSeq;
    private long _eventsSeq;
    private string? _metricsPrev;
    private string? _eventsPrev;
    private int _exams;
    private bool _faultActive;

    /// <summary>The metric points per second.</summary>
    public static int PointsPerSecond => Metrics.Length;

    /// <summary>Every batch, in arrival order: the metrics batch of each second, then its events batch if any.</summary>
    public IEnumerable<IncomingBatch> Batches()
    {
        for (long t = 0; t < seconds; t++)
        {
            var at = start + Duration.FromSeconds(t);
            var closed = at + Duration.FromSeconds(1); // Batch:MaxAge
            yield return Seal(TelemetryStreams.Metrics, ref _metricsSeq, ref _metricsPrev, closed, ReadMetrics(at), []);
            var events = Events(t, at);
            if (events.Count > 0) yield return Seal(TelemetryStreams.Events, ref _eventsSeq, ref _eventsPrev, closed, [], events);
        }
    }

    private IncomingBatch Seal(string stream, ref long seq, ref string? prev, Instant created, MetricPoint[] points, List<TelemetryEvent> events)
    {
        seq++;
        var batch = new TelemetryBatch(AgentId, stream, seq, prev, created, points, events);
        var sealedBatch = TelemetryEnvelope.Seal(batch, _signer, _scratch);
        prev = sealedBatch.Hash;
        // Received 20 ms after it was closed: what the cloud would note.
        return new IncomingBatch(_signer.Kid, sealedBatch.Hash, created + Duration.FromMilliseconds(20), sealedBatch.Jws, batch);
    }

    private MetricPoint[] ReadMetrics(Instant at)
    {
        var seconds = at.ToUnixTimeSeconds();
        var points = new MetricPoint[Metrics.Length];
        for (var i = 0; i < points.Length; i++)
        {
            var m = Metrics[i];
            var phase = 2 * Math.PI * (seconds % (long)m.PeriodSeconds) / m.PeriodSeconds;
#pragma warning disable CA5394
            var noise = ((_random.NextDouble() * 2) - 1) * m.Noise;
#pragma warning restore CA5394
            points[i] = new MetricPoint(m.Device, m.Metric, m.Unit, at, Math.Round(m.Base + (m.Amplitude * Math.Sin(phase)) + noise, 4));
        }

        return points;
    }

    private List<TelemetryEvent> Events(long t, Instant at)
    {
        var events = new List<TelemetryEvent>();
        if (t % 30 == 29) events.Add(StateChange("mr-01", DefaultStates, t / 30));
        if (t % 60 == 59) AddExam(events, at, "mr-01", "MR");
        if (t % 20 == 19) events.Add(StateChange("ct-02", DefaultStates, t / 20));
        if (t % 120 == 119)
        {
            _faultActive = !_faultActive;
            events.Add(new TelemetryEvent("ct-02", EventTypes.Fault, at,
                new Dictionary<string, EventValue> { ["code"] = "E-104", ["active"] = _faultActive, ["text"] = "synthetic fault", ["severity"] = "minor" }));
        }

        if (t % 45 == 44) AddExam(events, at, "ct-02", "CT");
        if (t % 60 == 59) events.Add(StateChange("am-03", PrinterStates, t / 60));
        return events;

        TelemetryEvent StateChange(string device, string[] states, long n) => new(device, EventTypes.State, at,
            new Dictionary<string, EventValue> { ["state"] = states[(n + 1) % states.Length], ["previous"] = states[n % states.Length] });
    }

    private void AddExam(List<TelemetryEvent> events, Instant at, string device, string modality)
    {
        _exams++;
        var data = new Dictionary<string, EventValue>
        {
            ["Modality"] = modality,
            ["PerformedStationAETitle"] = device.ToUpperInvariant(),
            ["PerformedProcedureStepID"] = $"PPS{_exams:D6}",
            ["PerformedProcedureStepDescription"] = "synthetic exam",
            ["NumberOfSeries"] = 3,
#pragma warning disable CA5394
            ["NumberOfImages"] = 240 + _random.Next(100),
#pragma warning restore CA5394
            ["PatientID"] = $"pid-{_exams * 7919 % 100_000:D5}-Jx3mQbE0sWk9fT2vLr8aNq",
        };
        events.Add(new TelemetryEvent(device, EventTypes.ExamStarted, at, data));
        events.Add(new TelemetryEvent(device, EventTypes.ExamCompleted, at, new Dictionary<string, EventValue>(data)));
    }
}
