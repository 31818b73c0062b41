namespace EquipmentIoT.Simulators.Scenarios;

/// <summary>The scripted faults a simulator can play, each on the equipment it belongs to.</summary>
public enum ScenarioKind
{
    /// <summary>MR: helium level falls ~300× faster than normal (a leak in the cryostat or quench line).</summary>
    HeliumLeak,
    /// <summary>MR: the helium compressor stops; cold head warms, pressure rises, boil-off starts.</summary>
    CompressorFailure,
    /// <summary>MR: chiller water warms steadily; past 28 °C for 10 minutes the compressor trips.</summary>
    ChillerOverTemperature,
    /// <summary>CT: tube cooling fails; anode heat climbs to the overtemperature fault.</summary>
    TubeOverheat,
    /// <summary>Printer: chamber oxygen rises above the process window mid-build, then recovers.</summary>
    OxygenExcursion,
    /// <summary>Printer: a recoater jam stops the build with a fault.</summary>
    PrinterFaultStop,
    /// <summary>Serial: the cable is pulled for a while (the port disappears), then plugged back.</summary>
    Unplugged,
    /// <summary>Serial: line noise, partial and overlong lines, bytes in the wrong encoding.</summary>
    Garbage,
}

/// <summary>Names used on the command line, e.g. <c>--scenario helium-leak@10m</c>.</summary>
public static class ScenarioNames
{
    private static readonly Dictionary<string, ScenarioKind> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["helium-leak"] = ScenarioKind.HeliumLeak,
        ["compressor-failure"] = ScenarioKind.CompressorFailure,
        ["chiller-overtemp"] = ScenarioKind.ChillerOverTemperature,
        ["tube-overheat"] = ScenarioKind.TubeOverheat,
        ["oxygen-excursion"] = ScenarioKind.OxygenExcursion,
        ["printer-fault-stop"] = ScenarioKind.PrinterFaultStop,
        ["unplugged"] = ScenarioKind.Unplugged,
        ["garbage"] = ScenarioKind.Garbage,
    };

    /// <summary>Every scenario name.</summary>
    public static IEnumerable<string> All => ByName.Keys;

    /// <summary>The kind named <paramref name="name"/>, if any.</summary>
    public static bool TryParse(string name, out ScenarioKind kind) => ByName.TryGetValue(name, out kind);

    /// <summary>The command-line name of <paramref name="kind"/>.</summary>
    public static string NameOf(ScenarioKind kind) => ByName.First(p => p.Value == kind).Key;
}
