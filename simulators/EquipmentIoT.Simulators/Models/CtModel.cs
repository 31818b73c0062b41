using EquipmentIoT.Simulators.Scenarios;

namespace EquipmentIoT.Simulators.Models;

/// <summary>The CT's operating state as its status line reports it.</summary>
public enum CtState
{
    /// <summary>Idle, ready to scan.</summary>
    Ready,
    /// <summary>X-ray on.</summary>
    Scanning,
    /// <summary>Tube warm-up (after start or a long idle).</summary>
    Warmup,
    /// <summary>A fault stopped scanning.</summary>
    Error,
}

/// <summary>What the CT reports at one moment.</summary>
public sealed record CtSnapshot(CtState State, double TubeHeatPercent, double TubeOilTemperature, double KiloVolts,
    double MilliAmperes, double GantryTemperature, string FaultCode);

/// <summary>
/// A CT scanner: exams of a few scan bursts; anode heat rises with each burst and cools exponentially (time
/// constant ~8 minutes with working cooling); the tube oil follows the anode. Past 90 % heat the tube
/// overtemperature fault E101 stops scanning until the heat falls below 60 %. Exams are reported over MPPS.
/// </summary>
public sealed class CtModel
{
    /// <summary>Fault code of the tube overtemperature.</summary>
    public const string TubeOverTemperature = "E101";

    private static readonly TimeSpan CoolingTau = TimeSpan.FromMinutes(8);
    private readonly Noise _noise;
    private readonly ScenarioScript _script;
    private readonly ExamFactory _exams;
    private readonly TimeSpan _examEvery;
    private TimeSpan _elapsed;
    private TimeSpan _nextExam;
    private TimeSpan _examEnds;
    private TimeSpan _burstEnds;
    private TimeSpan _nextBurst;
    private Exam? _current;
    private double _heat = 5;
    private double _oil = 32;
    private double _gantry = 24;
    private string _fault = "0";
    private CtState _state = CtState.Warmup;
    private TimeSpan _warmupEnds = TimeSpan.FromSeconds(60);

    /// <summary>A CT with station AE title <paramref name="stationAeTitle"/>, an exam about every <paramref name="examEvery"/>.</summary>
    public CtModel(string stationAeTitle, TimeSpan examEvery, ScenarioScript script, int seed)
    {
        _noise = new Noise(seed);
        _script = script;
        _examEvery = examEvery;
        _exams = new ExamFactory("CT", stationAeTitle, _noise);
        _nextExam = TimeSpan.FromSeconds(90);
    }

    /// <summary>Exams started or ended since the last call (MPPS N-CREATE / N-SET to send).</summary>
    public Queue<Exam> ExamUpdates { get; } = new();

    /// <summary>The current report.</summary>
    public CtSnapshot Snapshot => new(_state, Math.Round(_heat, 1), Math.Round(_oil, 1),
        _state == CtState.Scanning ? 120 : 0, _state == CtState.Scanning ? Math.Round(250 + _noise.Gaussian(5)) : 0,
        Math.Round(_gantry, 1), _fault);

    /// <summary>Advances the model by <paramref name="dt"/> of simulated time at <paramref name="now"/>.</summary>
    public void Advance(TimeSpan dt, DateTimeOffset now)
    {
        _elapsed += dt;
        var overheating = _script.IsActive(ScenarioKind.TubeOverheat, _elapsed);
        var scanning = _state == CtState.Scanning;
        // Anode heat: ~0.5 %/s while exposing (1.5 %/s when the tube's cooling has failed).
        var input = scanning ? (overheating ? 1.5 : 0.5) * dt.TotalSeconds : 0;
        _heat = Math.Clamp(Noise.Approach(_heat + input, 2, overheating ? CoolingTau * 12 : CoolingTau, dt), 0, 100);
        _oil = Noise.Approach(_oil, 30 + 0.45 * _heat, TimeSpan.FromMinutes(3), dt) + _noise.Gaussian(0.05);
        _gantry = Noise.Approach(_gantry, 24 + (scanning ? 2 : 0), TimeSpan.FromMinutes(20), dt) + _noise.Gaussian(0.03);

        if (_heat >= 90 && _fault != TubeOverTemperature)
        {
            _fault = TubeOverTemperature;
            _state = CtState.Error;
            EndExam(now, ExamOutcome.Discontinued);
        }
        else if (_fault == TubeOverTemperature && _heat < 60)
        {
            _fault = "0";
            _state = CtState.Ready;
        }

        if (_state == CtState.Warmup && _elapsed >= _warmupEnds) _state = CtState.Ready;
        if (_state is CtState.Error or CtState.Warmup) return;
        RunExams(now);
    }

    private void RunExams(DateTimeOffset now)
    {
        if (_current is null)
        {
            _state = CtState.Ready;
            if (_elapsed < _nextExam) return;
            _current = _exams.Next(now);
            ExamUpdates.Enqueue(_current);
            _examEnds = _elapsed + TimeSpan.FromSeconds(180 + _noise.Next(0, 240));
            _nextBurst = _elapsed + TimeSpan.FromSeconds(20);
            return;
        }

        if (_elapsed >= _examEnds)
        {
            EndExam(now, _noise.Chance(0.05) ? ExamOutcome.Discontinued : ExamOutcome.Completed);
            return;
        }

        if (_state == CtState.Scanning && _elapsed >= _burstEnds)
        {
            _state = CtState.Ready;
            _current.Series++;
            _current.Images += _noise.Next(80, 400);
            _current.CtdiVol = Math.Round((_current.CtdiVol ?? 0) + 4 + _noise.Next() * 8, 2);
            _current.Dlp = Math.Round((_current.Dlp ?? 0) + 150 + _noise.Next() * 300, 1);
            _nextBurst = _elapsed + TimeSpan.FromSeconds(30 + _noise.Next(0, 60));
        }
        else if (_state == CtState.Ready && _elapsed >= _nextBurst)
        {
            _state = CtState.Scanning;
            _burstEnds = _elapsed + TimeSpan.FromSeconds(8 + _noise.Next(0, 20));
        }
    }

    private void EndExam(DateTimeOffset now, ExamOutcome outcome)
    {
        if (_current is null) return;
        _current.End = now;
        _current.Outcome = outcome;
        ExamUpdates.Enqueue(_current);
        _current = null;
        _nextExam = _elapsed + _examEvery * (0.5 + _noise.Next());
    }
}
