using EquipmentIoT.Testing.Fuzzing;
using Xunit.Abstractions;

namespace EquipmentIoT.Protocols.Tests.Mqtt;

public class MqttDecoderFuzzTests
{
    private readonly ITestOutputHelper _output;

    public MqttDecoderFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Run_FixedSeed50000Inputs_NoFindingsAndBothPathsExercised()
    {
        var report = MqttDecoderFuzzer.Run(seed: 20261122, inputs: 50_000);
        _output.WriteLine(report.ToString());
        foreach (var finding in report.Findings) _output.WriteLine(finding.ToString());

        Assert.True(report.FindingCount == 0, string.Join(Environment.NewLine, report.Findings));
        Assert.Equal(50_000, report.Inputs);
        // Both paths must be hit, or the fuzzer is only testing one of them.
        Assert.True(report.ProtocolErrors > 5_000, report.ToString());
        Assert.True(report.DecodedPackets > 5_000, report.ToString());
        Assert.True(report.Incomplete > 1_000, report.ToString());
    }

    [Fact]
    public void Run_SameSeed_SameCounts()
    {
        var first = MqttDecoderFuzzer.Run(seed: 7, inputs: 2_000);
        var second = MqttDecoderFuzzer.Run(seed: 7, inputs: 2_000);

        Assert.Equal(
            (first.DecodedPackets, first.ProtocolErrors, first.Incomplete, first.FindingCount),
            (second.DecodedPackets, second.ProtocolErrors, second.Incomplete, second.FindingCount));
    }

    [Fact]
    public void Run_SmallMaxPacketSize_TooLargePacketsAreProtocolErrorsNotFindings()
    {
        var report = MqttDecoderFuzzer.Run(seed: 11, inputs: 5_000, maxPacketSize: 64);

        Assert.True(report.FindingCount == 0, string.Join(Environment.NewLine, report.Findings));
        Assert.True(report.ProtocolErrors > 0);
    }
}
