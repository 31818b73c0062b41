using System.Diagnostics;
using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Rules.Engine;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Bench.Records;

/// <summary>
/// <c>eqiot-bench rules</c>: the rule engine's rate with the shipped default rules on a fleet of MR magnets (every metric
/// of the mr-helium-monitor profile at 1 Hz, ticked every simulated second; two magnets leak helium so that rules raise),
/// against the cloud's ingest target of 250,000 points/s: the engine sits in the commit path and must not be the limit.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class RulesBenchCommand
{
    public const string Help = """
          eqiot-bench rules [--devices 200] [--seconds 3600]
            the QC rule engine with the shipped default rules: points/s evaluated (MR magnets, 8 metrics at 1 Hz, ticked each
            simulated second, two of them leaking helium) against the cloud's 250,000 points/s ingest target
        """;

    private static readonly string[] Metrics =
        ["helium_level", "helium_pressure", "cold_head_temperature", "chiller_water_temperature", "chiller_water_flow", "magnet_room_temperature",
            "magnet_room_humidity", "compressor_hours"];

    public static int Run(IReadOnlyList<string> args)
    {
        int devices = 200, seconds = 3600;
        var a = new ArgumentReader(args);
        while (a.TryNext())
        {
            switch (a.Current)
            {
                case "--devices": devices = a.Int(1, 100_000); break;
                case "--seconds": seconds = a.Int(10, 1_000_000); break;
                case "--help" or "-h":
                    Console.WriteLine(Help);
                    return 0;
                default: throw a.Unknown();
            }
        }

        var rules = RuleDocuments.Defaults();
        var engine = new RuleEngine(rules.Rules);
        for (var d = 0; d < devices; d++) engine.SetDevice(new DeviceInfo($"mr-{d:0000}", "mr", "site", "agent"));
        var start = Instant.FromUtc(2026, 12, 1, 0, 0);
        var random = new Random(17);
        long points = 0, transitions = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var s = 0; s < seconds; s++)
        {
            var at = start + Duration.FromSeconds(s);
            for (var d = 0; d < devices; d++)
            {
                var device = $"mr-{d:0000}";
                var helium = 72 - (d < 2 ? s * 3.0 / 86_400 * 60 : 0) + random.NextDouble() * 0.01;
                foreach (var metric in Metrics)
                {
                    var value = metric switch
                    {
                        "helium_level" => helium,
                        "helium_pressure" => 1.2 + random.NextDouble() * 0.02,
                        "cold_head_temperature" => 4.2,
                        "chiller_water_temperature" => 12 + random.NextDouble() * 0.3,
                        "chiller_water_flow" => 30,
                        "magnet_room_temperature" => 21.5,
                        "magnet_room_humidity" => 50,
                        _ => 18_250 + s / 3600.0,
                    };
                    transitions += engine.Observe(new MetricPoint(device, metric, null, at, value), "agent").Count;
                    points++;
                }
            }

            transitions += engine.Tick(at).Count;
        }

        clock.Stop();
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var rate = points / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"rules: {rules.Rules.Count} shipped rules, {devices} MR magnets x {Metrics.Length} metrics x {seconds:N0} s = {points:N0} points, ticked each second");
        Console.WriteLine($"  {rate:N0} points/s evaluated on one thread ({clock.Elapsed.TotalSeconds:0.00} s wall, {cpuUsed.TotalSeconds:0.00} s CPU, {cpuUsed.TotalMicroseconds / points:0.000} µs CPU/point); {transitions} transitions");
        Console.WriteLine($"  reference: the cloud's ingest target 250,000 points/s -> the engine would take {250_000 / rate * 100:0.0} % of one core at that rate");
        return 0;
    }
}
