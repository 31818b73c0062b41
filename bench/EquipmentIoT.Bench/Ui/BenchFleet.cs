namespace EquipmentIoT.Bench.Ui;

/// <summary>A metric of a device class: its unit, typical level, daily swing and noise (the seeded values are this plus a sine and noise).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed record BenchMetric(string Name, string Unit, double Level, double Swing, double Noise);

/// <summary>One device of the benchmark fleet; <paramref name="Agent"/> is the agent of its site.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed record BenchDevice(string Id, string DeviceClass, string Site, string Agent, string Name, IReadOnlyList<BenchMetric> Metrics);

/// <summary>
/// The demo's fleet, scaled: a hospital site with CTs and MRs (agent-sh) and an additive-manufacturing site with metal printers
/// (agent-am); devices are dealt CT, MR, printer, CT, MR, printer … so any count from 3 has one of each class.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class BenchFleet
{
    public const string HospitalSite = "sh";
    public const string PrinterSite = "am";
    public const string HospitalAgent = "agent-sh";
    public const string PrinterAgent = "agent-am";

    private static readonly BenchMetric[] Ct =
    [
        new("tube_temp", "Cel", 35, 10, 1), new("gantry_temp", "Cel", 28, 2, 0.3), new("room_temp", "Cel", 22, 1, 0.2), new("humidity", "%", 45, 5, 1),
    ];

    private static readonly BenchMetric[] Mr =
    [
        new("helium_level", "%", 78, 0.2, 0.05), new("cold_head_temp", "K", 4.1, 0.02, 0.02), new("magnet_pressure", "psi", 1.5, 0.05, 0.01),
        new("room_temp", "Cel", 21, 1, 0.2), new("humidity", "%", 40, 5, 1),
    ];

    private static readonly BenchMetric[] Printer =
    [
        new("oxygen", "%", 0.06, 0.01, 0.005), new("chamber_temp", "Cel", 38, 2, 0.3), new("platform_temp", "Cel", 180, 5, 1),
        new("laser_power", "W", 280, 20, 3),
    ];

    public static IReadOnlyList<BenchDevice> Of(int count)
    {
        var devices = new List<BenchDevice>(count);
        for (var i = 0; i < count; i++)
        {
            var n = (i / 3) + 1;
            devices.Add((i % 3) switch
            {
                0 => new BenchDevice($"ct-{n:00}", "ct", HospitalSite, HospitalAgent, $"CT {n}", Ct),
                1 => new BenchDevice($"mr-{n:00}", "mr", HospitalSite, HospitalAgent, $"MR {n}", Mr),
                _ => new BenchDevice($"am-{n:00}", "am-printer", PrinterSite, PrinterAgent, $"Metal printer {n}", Printer),
            });
        }
        return devices;
    }
}
