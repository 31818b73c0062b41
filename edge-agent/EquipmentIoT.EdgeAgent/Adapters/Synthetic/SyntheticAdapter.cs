using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Adapters.Synthetic;

/// <summary>Produces a synthetic device's readings and events (see <see cref="SyntheticDeviceOptions"/>).</summary>
public sealed class SyntheticAdapter : IDeviceAdapter
{
    // Invented patients for IncludeFakePatientData: none of these is a real person.
    private static readonly string[] FakeNames = ["ZHANG^SAN", "LI^SI", "WANG^WU", "张^三", "Doe^Jane"];

    private readonly SyntheticDeviceOptions _options;
    private readonly IClock _clock;
    private readonly TimeProvider _time;
    private readonly string _kind;
    private readonly (string Name, string? Unit, SyntheticMetric? Shape)[] _metrics;
    private readonly Random _random;
    private AdapterStatus _status;
    private int _stateIndex;
    private bool _faultActive;
    private int _examNumber;

    /// <summary>Creates the adapter for one configured device.</summary>
    public SyntheticAdapter(string device, string kind, SyntheticDeviceOptions options, IClock clock, TimeProvider time)
    {
        Device = device;
        _kind = kind;
        _options = options;
        _clock = clock;
        _time = time;
        _random = new Random(options.Seed);
        _metrics = options.Metrics.Select(m => (m.Name, m.Unit, (SyntheticMetric?)m))
            .Concat(Enumerable.Range(0, options.GeneratedMetrics).Select(i => ($"signal_{i:D3}", (string?)"1", (SyntheticMetric?)null)))
            .ToArray();
        _status = new AdapterStatus(device, "synthetic", AdapterState.Starting, null);
    }

    /// <inheritdoc/>
    public string Device { get; }

    /// <inheritdoc/>
    public AdapterStatus Status => _status;

    /// <inheritdoc/>
    public async Task RunAsync(ITelemetrySink sink, CancellationToken cancellationToken)
    {
        var started = _clock.GetCurrentInstant();
        var nextState = Next(started, _options.StateChangeEvery);
        var nextFault = Next(started, _options.FaultEvery);
        var nextExam = Next(started, _options.ExamEvery);
        _status = _status with { State = AdapterState.Ok };
        using var timer = new PeriodicTimer(_options.Interval, _time);
        do
        {
            var now = _clock.GetCurrentInstant();
            var hours = (now - started).TotalHours;
            foreach (var (name, unit, shape) in _metrics)
            {
                sink.AddMetric(new MetricPoint(Device, name, unit, now, ValueOf(shape, now, hours)));
            }

            if (now >= nextState)
            {
                var previous = _options.States[_stateIndex % _options.States.Count];
                _stateIndex++;
                var state = _options.States[_stateIndex % _options.States.Count];
                sink.AddEvent(new TelemetryEvent(Device, EventTypes.State, now,
                    new Dictionary<string, EventValue> { ["state"] = state, ["previous"] = previous }));
                nextState = Next(now, _options.StateChangeEvery);
            }

            if (now >= nextFault)
            {
                _faultActive = !_faultActive;
                sink.AddEvent(new TelemetryEvent(Device, EventTypes.Fault, now,
                    new Dictionary<string, EventValue> { ["code"] = "E-104", ["active"] = _faultActive, ["text"] = "synthetic fault", ["severity"] = "minor" }));
                nextFault = Next(now, _options.FaultEvery);
            }

            if (now >= nextExam)
            {
                EmitExam(sink, now);
                nextExam = Next(now, _options.ExamEvery);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    private static Instant Next(Instant from, TimeSpan? every) =>
        every is { } e ? from + Duration.FromTimeSpan(e) : Instant.MaxValue;

    private double ValueOf(SyntheticMetric? shape, Instant now, double hours)
    {
        if (shape is null) return Math.Round(_random.NextDouble() * 100, 3);
        var phase = 2 * Math.PI * (now.ToUnixTimeMilliseconds() % (long)Math.Max(1, shape.Period.TotalMilliseconds)) / Math.Max(1, shape.Period.TotalMilliseconds);
        var noise = shape.Noise == 0 ? 0 : (_random.NextDouble() * 2 - 1) * shape.Noise;
        return Math.Round(shape.Base + shape.Amplitude * Math.Sin(phase) + shape.DriftPerHour * hours + noise, 4);
    }

    private void EmitExam(ITelemetrySink sink, Instant now)
    {
        _examNumber++;
        var data = new Dictionary<string, EventValue>
        {
            ["Modality"] = _kind.Equals("mr", StringComparison.OrdinalIgnoreCase) ? "MR" : "CT",
            ["PerformedStationAETitle"] = Device.ToUpperInvariant(),
            ["PerformedProcedureStepID"] = $"PPS{_examNumber:D6}",
            ["PerformedProcedureStepDescription"] = "synthetic exam",
            ["NumberOfSeries"] = 3,
            ["NumberOfImages"] = 240 + _random.Next(100),
        };
        if (_options.IncludeFakePatientData)
        {
            var name = FakeNames[_random.Next(FakeNames.Length)];
            data["PatientName"] = name;
            data["PatientID"] = $"MRN{_random.Next(100_000, 999_999)}";
            data["PatientBirthDate"] = $"19{_random.Next(40, 99)}0{_random.Next(1, 9)}1{_random.Next(0, 9)}";
            data["AccessionNumber"] = $"ACC{_examNumber:D8}";
            data["PerformedProcedureStepDescription"] = $"synthetic exam for {name}";
        }

        sink.AddEvent(new TelemetryEvent(Device, EventTypes.ExamStarted, now, data));
        sink.AddEvent(new TelemetryEvent(Device, EventTypes.ExamCompleted, now, new Dictionary<string, EventValue>(data)));
    }
}
