using EquipmentIoT.Simulators.Scenarios;
using EquipmentIoT.Simulators.Simulation;

namespace EquipmentIoT.Simulators.Tests.Simulation;

public sealed class SimulatorOptionsTests
{
    [Fact]
    public void Parse_All_ReadsEndpointsScenariosAndSpeed()
    {
        var o = SimulatorOptions.Parse(["all", "--serial", "/tmp/ct.tty", "--mr-modbus", "tcp://127.0.0.1:5020", "--printer-modbus", "tcp://127.0.0.1:5021",
            "--mpps", "127.0.0.1:11112", "--speed", "60", "--scenario", "helium-leak@1h", "--scenario", "unplugged@2m+30s"], out var error);

        Assert.Null(error);
        Assert.Equal("tcp://127.0.0.1:5021", o!.PrinterModbus);
        Assert.Equal(60, o.Speed);
        Assert.Equal([ScenarioKind.HeliumLeak, ScenarioKind.Unplugged], o.Scenarios.Select(s => s.Kind));
    }

    [Theory]
    [InlineData(new[] { "scanner" }, "name the equipment")]
    [InlineData(new[] { "ct" }, "ct needs --serial")]
    [InlineData(new[] { "mr", "--modbus" }, "--modbus needs a value")]
    [InlineData(new[] { "ct", "--serial", "/x", "--calling-ae", "A\\B" }, "not an AE title")]
    [InlineData(new[] { "ct", "--serial", "/x", "--scenario", "meltdown" }, "unknown; known")]
    [InlineData(new[] { "printer", "--modbus", "tcp://h:1", "--speed", "0" }, "--speed must be")]
    [InlineData(new[] { "mr", "--modbus", "tcp://h:1", "--frobnicate" }, "unknown option '--frobnicate'")]
    public void Parse_Wrong_SaysWhat(string[] args, string expected)
    {
        Assert.Null(SimulatorOptions.Parse(args, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}

public sealed class StepperTests
{
    [Fact]
    public void Advance_LongSpan_StepsOfAtMostOneSecondEndingNow()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var steps = new List<(TimeSpan Step, DateTimeOffset At)>();

        Stepper.Advance(TimeSpan.FromSeconds(2.5), now, (dt, at) => steps.Add((dt, at)));

        Assert.Equal(3, steps.Count);
        Assert.All(steps, s => Assert.True(s.Step <= TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromSeconds(2.5), steps.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Step));
        Assert.Equal(now, steps[^1].At);
    }

    [Fact]
    public void Advance_NothingElapsed_DoesNothing()
    {
        var calls = 0;
        Stepper.Advance(TimeSpan.Zero, DateTimeOffset.UnixEpoch, (_, _) => calls++);
        Assert.Equal(0, calls);
    }
}
