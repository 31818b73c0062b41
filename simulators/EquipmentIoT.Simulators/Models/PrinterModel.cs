using EquipmentIoT.Simulators.Scenarios;

namespace EquipmentIoT.Simulators.Models;

/// <summary>The printer's job state (the profile's state register: these numbers are on the wire).</summary>
public enum PrinterState
{
    /// <summary>No job.</summary>
    Idle = 0,
    /// <summary>Job loaded: inerting the chamber and heating the plate.</summary>
    Preparing = 1,
    /// <summary>Recoating and exposing layers.</summary>
    Building = 2,
    /// <summary>Paused by the operator.</summary>
    Paused = 3,
    /// <summary>Stopped by a fault.</summary>
    Fault = 4,
    /// <summary>Last layer done; cooling down.</summary>
    Finished = 5,
}

/// <summary>Alarm bits of the printer (the profile's flags register).</summary>
[Flags]
public enum PrinterAlarms
{
    /// <summary>No alarm.</summary>
    None = 0,
    /// <summary>Bit 0: chamber oxygen above 1000 ppm while building.</summary>
    OxygenHigh = 1,
    /// <summary>Bit 1: laser fault.</summary>
    LaserFault = 2,
    /// <summary>Bit 2: recoater jam.</summary>
    RecoaterJam = 4,
    /// <summary>Bit 3: inert gas flow low.</summary>
    GasFlowLow = 8,
}

/// <summary>What the printer reports at one moment.</summary>
public sealed record PrinterSnapshot(uint JobId, int LayersPlanned, int CurrentLayer, PrinterState State, double OxygenPpm,
    double ChamberCelsius, double PlateCelsius, double LaserWatts, int RecoaterPasses, PrinterAlarms Alarms);

/// <summary>
/// A metal powder-bed fusion printer (titanium implants): a job inerts the chamber with argon (oxygen from
/// 20.9 % down below 1000 ppm, time constant 3 minutes), heats the build plate to 200 °C, then builds layer by
/// layer: a recoater pass, then laser exposure at ~280 W. Oxygen stays ~350 ppm unless the excursion scenario
/// lets it climb to ~1800 ppm; a recoater jam stops the build with a fault.
/// </summary>
public sealed class PrinterModel
{
    private const double AirOxygenPpm = 209_000;
    private static readonly TimeSpan RecoatTime = TimeSpan.FromSeconds(8);
    private readonly Noise _noise;
    private readonly ScenarioScript _script;
    private readonly TimeSpan _layerTime;
    private readonly int _layersPlannedMax;
    private TimeSpan _elapsed;
    private TimeSpan _stateSince;
    private TimeSpan _layerStarted;
    private uint _jobId;
    private int _layersPlanned;
    private int _layer;
    private int _recoater;
    private double _oxygen = AirOxygenPpm;
    private double _chamber = 24;
    private double _plate = 24;
    private PrinterState _state = PrinterState.Idle;

    /// <summary>A printer whose layers take <paramref name="layerTime"/>, jobs of up to <paramref name="maxLayers"/> layers.</summary>
    public PrinterModel(TimeSpan layerTime, int maxLayers, ScenarioScript script, int seed, uint firstJobId = 24_001)
    {
        _noise = new Noise(seed);
        _script = script;
        _layerTime = layerTime < RecoatTime * 2 ? RecoatTime * 2 : layerTime;
        _layersPlannedMax = Math.Max(10, maxLayers);
        _jobId = firstJobId - 1;
        Snapshot = Report(0, PrinterAlarms.None);
    }

    /// <summary>The current report.</summary>
    public PrinterSnapshot Snapshot { get; private set; }

    /// <summary>Advances the model by <paramref name="dt"/> of simulated time.</summary>
    public void Advance(TimeSpan dt)
    {
        _elapsed += dt;
        var inState = _elapsed - _stateSince;
        switch (_state)
        {
            case PrinterState.Idle when inState >= TimeSpan.FromSeconds(30):
                _jobId++;
                _layersPlanned = _noise.Next(_layersPlannedMax / 2, _layersPlannedMax + 1);
                _layer = 0;
                Enter(PrinterState.Preparing);
                break;
            case PrinterState.Preparing when _oxygen < 800 && _plate > 190:
                Enter(PrinterState.Building);
                NextLayer();
                break;
            case PrinterState.Building when _script.IsActive(ScenarioKind.PrinterFaultStop, _elapsed):
                Enter(PrinterState.Fault);
                break;
            case PrinterState.Building when _elapsed - _layerStarted >= _layerTime:
                if (_layer >= _layersPlanned) Enter(PrinterState.Finished);
                else NextLayer();
                break;
            case PrinterState.Fault when !_script.IsActive(ScenarioKind.PrinterFaultStop, _elapsed) && inState >= TimeSpan.FromMinutes(2):
            case PrinterState.Finished when inState >= TimeSpan.FromMinutes(2):
                Enter(PrinterState.Idle);
                break;
        }

        var inert = _state is PrinterState.Preparing or PrinterState.Building or PrinterState.Paused;
        var excursion = _state == PrinterState.Building && _script.IsActive(ScenarioKind.OxygenExcursion, _elapsed);
        var oxygenTarget = !inert ? AirOxygenPpm : excursion ? 1800 : 350;
        _oxygen = Math.Max(0, Noise.Approach(_oxygen, oxygenTarget, TimeSpan.FromMinutes(excursion ? 1 : 3), dt) + (inert ? _noise.Gaussian(4) : 0));
        _plate = Noise.Approach(_plate, inert ? 200 : 30, TimeSpan.FromMinutes(inert ? 2 : 15), dt) + _noise.Gaussian(0.1);
        _chamber = Noise.Approach(_chamber, _state == PrinterState.Building ? 38 : 25, TimeSpan.FromMinutes(20), dt) + _noise.Gaussian(0.05);
        var exposing = _state == PrinterState.Building && _elapsed - _layerStarted >= RecoatTime;
        var laser = exposing ? 280 + _noise.Gaussian(3) : 0;

        var alarms = PrinterAlarms.None;
        if (_state == PrinterState.Building && _oxygen > 1000) alarms |= PrinterAlarms.OxygenHigh;
        if (_state == PrinterState.Fault) alarms |= PrinterAlarms.RecoaterJam;
        Snapshot = Report(laser, alarms);
    }

    private PrinterSnapshot Report(double laser, PrinterAlarms alarms) => new(_jobId, _layersPlanned, _layer, _state,
        Math.Round(_oxygen), Math.Round(_chamber, 1), Math.Round(_plate, 1), Math.Round(laser, 1), _recoater, alarms);

    private void NextLayer()
    {
        _layer++;
        _recoater++;
        _layerStarted = _elapsed;
    }

    private void Enter(PrinterState state)
    {
        _state = state;
        _stateSince = _elapsed;
    }
}
