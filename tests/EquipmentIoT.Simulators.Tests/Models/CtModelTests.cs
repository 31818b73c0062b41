using EquipmentIoT.Simulators.Models;
using EquipmentIoT.Simulators.Scenarios;

namespace EquipmentIoT.Simulators.Tests.Models;

public sealed class CtModelTests
{
    private static (CtModel Ct, List<CtSnapshot> Seen) Hours(double hours, params ScenarioStep[] steps)
    {
        var ct = new CtModel("CT01", TimeSpan.FromMinutes(6), new ScenarioScript(steps), seed: 3);
        var seen = new List<CtSnapshot>();
        Run.For(TimeSpan.FromHours(hours), TimeSpan.FromSeconds(1), (dt, now) => { ct.Advance(dt, now); seen.Add(ct.Snapshot); });
        return (ct, seen);
    }

    [Fact]
    public void Advance_NormalUse_ScansWithoutOverheating()
    {
        var (ct, seen) = Hours(4);

        Assert.Contains(seen, s => s.State == CtState.Scanning && s.KiloVolts == 120 && s.MilliAmperes > 200);
        Assert.DoesNotContain(seen, s => s.FaultCode == CtModel.TubeOverTemperature);
        Assert.InRange(seen.Max(s => s.TubeHeatPercent), 15, 89.9);
        Assert.Contains(ct.ExamUpdates, e => e.Outcome == ExamOutcome.Completed && e.Series > 0 && e.Dlp > 0);
    }

    [Fact]
    public void Advance_TubeOverheat_RaisesE101StopsScanningAndRecovers()
    {
        var (ct, seen) = Hours(4, new ScenarioStep(ScenarioKind.TubeOverheat, TimeSpan.Zero, TimeSpan.FromHours(2)));

        var first = seen.FindIndex(s => s.FaultCode == CtModel.TubeOverTemperature);
        Assert.True(first > 0);
        Assert.Equal(CtState.Error, seen[first].State);
        Assert.True(seen[first].TubeHeatPercent >= 90);
        Assert.Contains(seen.Skip(first), s => s.FaultCode == "0" && s.State != CtState.Error);
        Assert.Contains(ct.ExamUpdates, e => e.Outcome == ExamOutcome.Discontinued);
    }
}
