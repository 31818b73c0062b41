using EquipmentIoT.Simulators.Models;
using EquipmentIoT.Simulators.Scenarios;

namespace EquipmentIoT.Simulators.Tests.Models;

public sealed class PrinterModelTests
{
    private static List<PrinterSnapshot> Hours(double hours, params ScenarioStep[] steps)
    {
        var printer = new PrinterModel(TimeSpan.FromSeconds(30), 200, new ScenarioScript(steps), seed: 5);
        var seen = new List<PrinterSnapshot>();
        Run.For(TimeSpan.FromHours(hours), TimeSpan.FromSeconds(1), (dt, _) => { printer.Advance(dt); seen.Add(printer.Snapshot); });
        return seen;
    }

    [Fact]
    public void Advance_Job_InertsBuildsEveryLayerAndFinishes()
    {
        var seen = Hours(3);

        var building = seen.Where(s => s.State == PrinterState.Building).ToList();
        Assert.NotEmpty(building);
        Assert.All(building, s => Assert.InRange(s.OxygenPpm, 0, 900));
        Assert.InRange(building.Max(s => s.LaserWatts), 270, 295);
        var finished = seen.First(s => s.State == PrinterState.Finished);
        Assert.Equal(finished.LayersPlanned, finished.CurrentLayer);
        Assert.Equal(seen.First(s => s.State == PrinterState.Building).JobId, finished.JobId);
        Assert.Equal(Enumerable.Range(1, finished.LayersPlanned), building.Where(s => s.JobId == finished.JobId).Select(s => s.CurrentLayer).Distinct());
    }

    [Fact]
    public void Advance_OxygenExcursion_RaisesOxygenAboveTheWindowMidBuild()
    {
        var seen = Hours(2, new ScenarioStep(ScenarioKind.OxygenExcursion, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(10)));

        var high = seen.Where(s => s.Alarms.HasFlag(PrinterAlarms.OxygenHigh)).ToList();
        Assert.NotEmpty(high);
        Assert.All(high, s => Assert.Equal(PrinterState.Building, s.State));
        Assert.InRange(high.Max(s => s.OxygenPpm), 1500, 1900);
        Assert.Contains(seen.SkipWhile(s => !s.Alarms.HasFlag(PrinterAlarms.OxygenHigh)), s => s.State == PrinterState.Building && s.OxygenPpm < 500);
    }

    [Fact]
    public void Advance_FaultStop_StopsTheBuildWithRecoaterJam()
    {
        var seen = Hours(1, new ScenarioStep(ScenarioKind.PrinterFaultStop, TimeSpan.FromMinutes(20), null));

        var fault = seen.First(s => s.State == PrinterState.Fault);
        Assert.True(fault.Alarms.HasFlag(PrinterAlarms.RecoaterJam));
        Assert.Equal(0, fault.LaserWatts);
        Assert.True(fault.CurrentLayer < fault.LayersPlanned);
        Assert.Equal(PrinterState.Fault, seen[^1].State);
    }
}
