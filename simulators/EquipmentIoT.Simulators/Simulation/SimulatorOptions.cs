using System.Globalization;
using EquipmentIoT.Simulators.Scenarios;

namespace EquipmentIoT.Simulators.Simulation;

/// <summary>
/// The command line of <c>eqiot sim ct|mr|printer|all</c>. Every endpoint is on the command line so that a
/// test or the demo can put each simulator on a free loopback port.
/// </summary>
public sealed class SimulatorOptions
{
    /// <summary>ct, mr, printer or all.</summary>
    public string Equipment { get; private set; } = "";

    /// <summary>CT: the serial port path to create (a symlink to a pseudo terminal).</summary>
    public string? Serial { get; private set; }

    /// <summary>MR: where its Modbus slave listens (tcp://127.0.0.1:PORT), or rtu:PATH for RTU on a pseudo terminal linked at PATH.</summary>
    public string? MrModbus { get; private set; }

    /// <summary>Printer: where its Modbus slave listens.</summary>
    public string? PrinterModbus { get; private set; }

    /// <summary>Unit id (slave address) of the Modbus slaves.</summary>
    public byte UnitId { get; private set; } = 1;

    /// <summary>The MPPS SCP (the agent) as HOST:PORT; no exams are sent when absent.</summary>
    public string? Mpps { get; private set; }

    /// <summary>The agent's AE title.</summary>
    public string CalledAeTitle { get; private set; } = "EQIOT";

    /// <summary>The CT's AE title.</summary>
    public string CtAeTitle { get; private set; } = "CT01";

    /// <summary>The MR's AE title.</summary>
    public string MrAeTitle { get; private set; } = "MR01";

    /// <summary>Mean time between exams (simulated).</summary>
    public TimeSpan ExamEvery { get; private set; } = TimeSpan.FromMinutes(6);

    /// <summary>Printer: time per layer (simulated).</summary>
    public TimeSpan LayerTime { get; private set; } = TimeSpan.FromSeconds(30);

    /// <summary>Printer: most layers per job.</summary>
    public int MaxLayers { get; private set; } = 400;

    /// <summary>Simulated seconds per real second.</summary>
    public double Speed { get; private set; } = 1;

    /// <summary>Seed of every random choice.</summary>
    public int Seed { get; private set; } = 1;

    /// <summary>Stop after this long (real time); run until Ctrl-C when null.</summary>
    public TimeSpan? RunFor { get; private set; }

    /// <summary>The scripted faults.</summary>
    public List<ScenarioStep> Scenarios { get; } = [];

    /// <summary>Parses <paramref name="args"/> (the first is the equipment); null and an error when they are wrong.</summary>
    public static SimulatorOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var o = new SimulatorOptions();
        error = null;
        if (args.Count == 0 || args[0] is not ("ct" or "mr" or "printer" or "all"))
        {
            error = "name the equipment: ct, mr, printer or all";
            return null;
        }

        o.Equipment = args[0];
        try
        {
            for (var i = 1; i < args.Count; i++)
            {
                var a = args[i];
                string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{a} needs a value");
                TimeSpan Duration()
                {
                    var v = Value();
                    return ScenarioStep.TryParseDuration(v, out var d) && d > TimeSpan.Zero ? d : throw new FormatException($"{a}: '{v}' is not like 30s, 10m, 2h");
                }

                switch (a)
                {
                    case "--serial": o.Serial = Value(); break;
                    case "--modbus" when o.Equipment == "printer": o.PrinterModbus = Value(); break;
                    case "--modbus": o.MrModbus = Value(); break;
                    case "--mr-modbus": o.MrModbus = Value(); break;
                    case "--printer-modbus": o.PrinterModbus = Value(); break;
                    case "--unit": o.UnitId = byte.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var u) && u is >= 1 and <= 247 ? u : throw new FormatException("--unit must be 1..247"); break;
                    case "--mpps": o.Mpps = Value(); break;
                    case "--called-ae": o.CalledAeTitle = AeTitle(a, Value()); break;
                    case "--ct-ae": o.CtAeTitle = AeTitle(a, Value()); break;
                    case "--mr-ae": o.MrAeTitle = AeTitle(a, Value()); break;
                    case "--calling-ae" when o.Equipment == "mr": o.MrAeTitle = AeTitle(a, Value()); break;
                    case "--calling-ae": o.CtAeTitle = AeTitle(a, Value()); break;
                    case "--exam-every": o.ExamEvery = Duration(); break;
                    case "--layer-time": o.LayerTime = Duration(); break;
                    case "--max-layers": o.MaxLayers = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m is >= 10 and <= 65535 ? m : throw new FormatException("--max-layers must be 10..65535"); break;
                    case "--speed": o.Speed = double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s is >= 0.001 and <= 100_000 ? s : throw new FormatException("--speed must be 0.001..100000"); break;
                    case "--seed": o.Seed = int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : throw new FormatException("--seed must be an integer"); break;
                    case "--for": o.RunFor = Duration(); break;
                    case "--scenario":
                        o.Scenarios.Add(ScenarioStep.TryParse(Value(), out var step, out var why) ? step! : throw new FormatException(why));
                        break;
                    default: throw new FormatException($"unknown option '{a}'");
                }
            }
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }

        error = o.Missing();
        return error is null ? o : null;
    }

    private string? Missing() => Equipment switch
    {
        "ct" when Serial is null => "ct needs --serial PATH (the port to create)",
        "mr" when MrModbus is null => "mr needs --modbus tcp://127.0.0.1:PORT (or rtu:PATH)",
        "printer" when PrinterModbus is null => "printer needs --modbus tcp://127.0.0.1:PORT (or rtu:PATH)",
        "all" when Serial is null || MrModbus is null || PrinterModbus is null => "all needs --serial PATH, --mr-modbus URL and --printer-modbus URL",
        _ => null,
    };

    // PS3.5 §6.2: an AE title is 1-16 characters of the default repertoire, no backslash or control characters.
    private static string AeTitle(string option, string value) =>
        value.Trim().Length is >= 1 and <= 16 && value.All(c => c is >= ' ' and <= '~' and not '\\')
            ? value.Trim()
            : throw new FormatException($"{option}: '{value}' is not an AE title (1-16 printable ASCII characters, no backslash)");
}
