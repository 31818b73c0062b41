using System.Globalization;
using EquipmentIoT.Testing.Fuzzing;

namespace EquipmentIoT.Bench.Fuzz;

/// <summary>
/// <c>eqiot-bench mqtt-fuzz</c>: the long run of the MQTT decoder fuzzer that the unit tests run
/// briefly. Exits 1 when the decoder broke its contract on any input.
/// </summary>
internal static class MqttFuzzCommand
{
    public const string Help = """
          eqiot-bench mqtt-fuzz [--inputs N] [--seed S] [--max-packet BYTES]
            the MQTT decoder fuzzer over N inputs (1,000,000); exits 1 on findings.
            The same seed and input count replay the same inputs.
        """;

    private const long DefaultInputs = 1_000_000;
    private const int DefaultSeed = 20261122;

    public static int Run(IReadOnlyList<string> args)
    {
        long inputs = DefaultInputs;
        var seed = DefaultSeed;
        var maxPacket = 64 * 1024;
        try
        {
            var a = new ArgumentReader(args);
            while (a.TryNext())
            {
                switch (a.Current)
                {
                    case "--inputs": inputs = a.Long(1, long.MaxValue); break;
                    case "--seed": seed = a.Int(int.MinValue, int.MaxValue); break;
                    case "--max-packet": maxPacket = a.Int(2, 256 * 1024 * 1024); break;
                    case "--help" or "-h":
                        Console.WriteLine(Help);
                        return 0;
                    default: throw a.Unknown();
                }
            }
        }
        catch (CommandLineException ex)
        {
            Console.Error.WriteLine($"eqiot-bench mqtt-fuzz: {ex.Message}");
            return 2;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fuzzing the MQTT decoder: {inputs:N0} inputs, seed {seed}, max packet {maxPacket:N0} B …"));
        var report = MqttDecoderFuzzer.Run(seed, inputs, maxPacket);
        Console.WriteLine(report);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  inputs/s {report.InputsPerSecond:N0} | decoded packets {report.DecodedPackets:N0} | protocol errors {report.ProtocolErrors:N0} | incomplete {report.Incomplete:N0} | findings {report.FindingCount:N0}"));
        foreach (var finding in report.Findings)
        {
            Console.WriteLine(finding);
        }

        if (report.FindingCount > report.Findings.Count)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"… and {report.FindingCount - report.Findings.Count:N0} more findings (only the first {MqttDecoderFuzzer.MaxRecordedFindings} are kept)"));
        }

        return report.FindingCount == 0 ? 0 : 1;
    }
}
