using Xunit.Abstractions;

namespace EquipmentIoT.Protocols.Tests.Telemetry.Fuzzing;

public class TelemetryFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Run_FixedSeed30000Inputs_NoFindingsAndBothOutcomesExercised()
    {
        var report = TelemetryFuzzer.Run(seed: 20261122, inputs: 30_000);
        output.WriteLine(report.ToString());
        foreach (var finding in report.Findings) output.WriteLine(finding.ToString());

        Assert.True(report.FindingCount == 0, string.Join(Environment.NewLine, report.Findings));
        // Both outcomes on both sides, or the fuzzer only tests one path.
        Assert.True(report.ReaderRefused > 5_000, report.ToString());
        Assert.True(report.ReaderAccepted > 3_000, report.ToString());
        Assert.True(report.VerifierRefused > 5_000, report.ToString());
        Assert.True(report.VerifierAccepted > 3_000, report.ToString());
    }

    [Fact]
    public void Run_SameSeed_SameCounts()
    {
        var first = TelemetryFuzzer.Run(seed: 7, inputs: 1_000);
        var second = TelemetryFuzzer.Run(seed: 7, inputs: 1_000);

        Assert.Equal((first.ReaderAccepted, first.ReaderRefused, first.VerifierAccepted, first.VerifierRefused, first.FindingCount),
            (second.ReaderAccepted, second.ReaderRefused, second.VerifierAccepted, second.VerifierRefused, second.FindingCount));
    }
}
