using EquipmentIoT.Simulators.Scenarios;

namespace EquipmentIoT.Simulators.Models;

/// <summary>The helium compressor's state as the MR's monitor reports it.</summary>
public enum CompressorState
{
    /// <summary>Stopped.</summary>
    Off = 0,
    /// <summary>Running.</summary>
    Running = 1,
    /// <summary>Tripped on a fault (e.g. cooling water too warm).</summary>
    Fault = 2,
}

/// <summary>Alarm bits of the MR's helium/cooling monitor (the profile's flags register).</summary>
[Flags]
public enum MrAlarms
{
    /// <summary>No alarm.</summary>
    None = 0,
    /// <summary>Bit 0: compressor not running.</summary>
    CompressorOff = 1,
    /// <summary>Bit 1: chiller water above 25 °C.</summary>
    ChillerOverTemperature = 2,
    /// <summary>Bit 2: helium level below 60 %.</summary>
    HeliumLow = 4,
    /// <summary>Bit 3: chiller water flow below 20 l/min.</summary>
    ChillerFlowLow = 8,
}

/// <summary>What the MR's monitor reports at one moment.</summary>
public sealed record MrSnapshot(double HeliumLevelPercent, double HeliumPressurePsi, CompressorState Compressor,
    double ColdHeadKelvin, double ChillerWaterCelsius, double ChillerFlowLitresPerMinute, double RoomCelsius,
    double RoomHumidityPercent, MrAlarms Alarms, uint CompressorHours);

/// <summary>
/// An MR magnet's helium and cooling chain: a compressor keeps the cold head at ~4.2 K so the helium hardly
/// boils (0.02 %/day); without it the cold head warms (time constant 40 min), pressure rises and helium boils
/// off at ~1.5 %/day; a leak loses ~3 %/day whatever the compressor does. The chiller cools the compressor:
/// water above 28 °C for 10 minutes trips it. The magnet room follows a daily temperature and humidity cycle.
/// Exams are reported over MPPS.
/// </summary>
public sealed class MrModel
{
    private readonly Noise _noise;
    private readonly ScenarioScript _script;
    private readonly ExamFactory _exams;
    private readonly TimeSpan _examEvery;
    private TimeSpan _elapsed;
    private TimeSpan _overTemperatureFor;
    private TimeSpan _nextExam = TimeSpan.FromMinutes(2);
    private TimeSpan _examEnds;
    private Exam? _current;
    private double _helium;
    private double _pressure = 1.2;
    private double _coldHead = 4.2;
    private double _water = 12;
    private double _flow = 30;
    private double _runSeconds;
    private CompressorState _compressor = CompressorState.Running;

    /// <summary>An MR with station AE title <paramref name="stationAeTitle"/>, starting at <paramref name="heliumPercent"/>.</summary>
    public MrModel(string stationAeTitle, TimeSpan examEvery, ScenarioScript script, int seed, double heliumPercent = 72.0, uint compressorHours = 18_250)
    {
        _noise = new Noise(seed);
        _script = script;
        _examEvery = examEvery;
        _exams = new ExamFactory("MR", stationAeTitle, _noise);
        _helium = heliumPercent;
        _runSeconds = compressorHours * 3600.0;
        Snapshot = Report(DateTimeOffset.UnixEpoch);
    }

    /// <summary>Exams started or ended since the last call.</summary>
    public Queue<Exam> ExamUpdates { get; } = new();

    /// <summary>The current report.</summary>
    public MrSnapshot Snapshot { get; private set; }

    /// <summary>Advances the model by <paramref name="dt"/> of simulated time at <paramref name="now"/>.</summary>
    public void Advance(TimeSpan dt, DateTimeOffset now)
    {
        _elapsed += dt;
        var days = dt.TotalDays;
        var chillerFailing = _script.IsActive(ScenarioKind.ChillerOverTemperature, _elapsed);
        _water = Noise.Approach(_water, chillerFailing ? 32 : 12, TimeSpan.FromMinutes(chillerFailing ? 40 : 5), dt) + _noise.Gaussian(0.02);
        _flow = Noise.Approach(_flow, 30, TimeSpan.FromMinutes(1), dt) + _noise.Gaussian(0.1);
        _overTemperatureFor = _water > 28 ? _overTemperatureFor + dt : TimeSpan.Zero;

        if (_script.IsActive(ScenarioKind.CompressorFailure, _elapsed)) _compressor = CompressorState.Off;
        else if (_overTemperatureFor >= TimeSpan.FromMinutes(10)) _compressor = CompressorState.Fault;
        else if (_water < 22) _compressor = CompressorState.Running; // restarts once the water is cool again

        var cooling = _compressor == CompressorState.Running;
        if (cooling) _runSeconds += dt.TotalSeconds;
        _coldHead = Noise.Approach(_coldHead, cooling ? 4.2 : 45, TimeSpan.FromMinutes(cooling ? 10 : 40), dt);
        var boilOff = cooling ? 0.02 : 1.5 * Math.Clamp((_coldHead - 4.2) / 10, 0, 1);
        if (_script.IsActive(ScenarioKind.HeliumLeak, _elapsed)) boilOff += 3.0;
        _helium = Math.Max(0, _helium - boilOff * days);
        _pressure = Noise.Approach(_pressure, cooling ? 1.2 : 3.4, TimeSpan.FromMinutes(cooling ? 15 : 60), dt) + _noise.Gaussian(0.003);

        Snapshot = Report(now);
        RunExams(now);
    }

    private MrSnapshot Report(DateTimeOffset now)
    {
        var hourOfDay = now.TimeOfDay.TotalHours;
        var room = 21 + 0.8 * Math.Sin(2 * Math.PI * (hourOfDay - 9) / 24) + _noise.Gaussian(0.05);
        var humidity = 48 + 6 * Math.Sin(2 * Math.PI * (hourOfDay - 4) / 24) + _noise.Gaussian(0.3);
        var alarms = MrAlarms.None;
        if (_compressor != CompressorState.Running) alarms |= MrAlarms.CompressorOff;
        if (_water > 25) alarms |= MrAlarms.ChillerOverTemperature;
        if (_helium < 60) alarms |= MrAlarms.HeliumLow;
        if (_flow < 20) alarms |= MrAlarms.ChillerFlowLow;
        return new MrSnapshot(Math.Round(_helium, 3), Math.Round(_pressure, 3), _compressor, Math.Round(_coldHead, 2),
            Math.Round(_water, 2), Math.Round(_flow, 1), Math.Round(room, 2), Math.Round(humidity, 1), alarms, (uint)(_runSeconds / 3600));
    }

    private void RunExams(DateTimeOffset now)
    {
        if (_current is null)
        {
            if (_elapsed < _nextExam) return;
            _current = _exams.Next(now);
            ExamUpdates.Enqueue(_current);
            _examEnds = _elapsed + TimeSpan.FromMinutes(15 + _noise.Next(0, 20));
            return;
        }

        if (_elapsed < _examEnds) return;
        _current.Series = _noise.Next(4, 12);
        _current.Images = _current.Series * _noise.Next(20, 200);
        _current.End = now;
        _current.Outcome = _noise.Chance(0.05) ? ExamOutcome.Discontinued : ExamOutcome.Completed;
        ExamUpdates.Enqueue(_current);
        _current = null;
        _nextExam = _elapsed + _examEvery * (0.5 + _noise.Next());
    }
}
