using EquipmentIoT.Simulators.Models;
using EquipmentIoT.Simulators.Scenarios;

namespace EquipmentIoT.Simulators.Tests.Models;

public sealed class MrModelTests
{
    private static MrModel Day(params ScenarioStep[] steps)
    {
        var mr = new MrModel("MR01", TimeSpan.FromMinutes(40), new ScenarioScript(steps), seed: 7);
        Run.For(TimeSpan.FromDays(1), TimeSpan.FromSeconds(10), (dt, now) => mr.Advance(dt, now));
        return mr;
    }

    [Fact]
    public void Advance_NormalDay_HeliumAlmostConstantAndCompressorRunning()
    {
        var mr = Day();

        Assert.InRange(72.0 - mr.Snapshot.HeliumLevelPercent, 0.01, 0.05);
        Assert.Equal(CompressorState.Running, mr.Snapshot.Compressor);
        Assert.Equal(MrAlarms.None, mr.Snapshot.Alarms);
        Assert.InRange(mr.Snapshot.ColdHeadKelvin, 4.0, 4.5);
    }

    [Fact]
    public void Advance_HeliumLeak_LosesAboutThreePercentADay()
    {
        var mr = Day(new ScenarioStep(ScenarioKind.HeliumLeak, TimeSpan.Zero, null));

        Assert.InRange(72.0 - mr.Snapshot.HeliumLevelPercent, 2.9, 3.1);
        Assert.Equal(CompressorState.Running, mr.Snapshot.Compressor);
    }

    [Fact]
    public void Advance_CompressorFailure_ColdHeadWarmsPressureRisesHeliumBoils()
    {
        var mr = Day(new ScenarioStep(ScenarioKind.CompressorFailure, TimeSpan.FromHours(1), null));

        Assert.Equal(CompressorState.Off, mr.Snapshot.Compressor);
        Assert.True(mr.Snapshot.Alarms.HasFlag(MrAlarms.CompressorOff));
        Assert.InRange(mr.Snapshot.ColdHeadKelvin, 40, 46);
        Assert.InRange(mr.Snapshot.HeliumPressurePsi, 3.0, 3.6);
        Assert.InRange(72.0 - mr.Snapshot.HeliumLevelPercent, 1.0, 1.6);
    }

    [Fact]
    public void Advance_ChillerOverTemperature_TripsCompressorAfterTenMinutesAbove28()
    {
        var mr = new MrModel("MR01", TimeSpan.FromMinutes(40), new ScenarioScript([new ScenarioStep(ScenarioKind.ChillerOverTemperature, TimeSpan.Zero, null)]), seed: 7);
        var above28 = TimeSpan.Zero;
        var tripped = false;
        Run.For(TimeSpan.FromHours(6), TimeSpan.FromSeconds(10), (dt, now) =>
        {
            mr.Advance(dt, now);
            if (mr.Snapshot.ChillerWaterCelsius > 28) above28 += dt;
            tripped = mr.Snapshot.Compressor == CompressorState.Fault;
        }, () => tripped);

        Assert.True(tripped);
        Assert.InRange(above28, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(12));
        Assert.True(mr.Snapshot.Alarms.HasFlag(MrAlarms.ChillerOverTemperature | MrAlarms.CompressorOff));
    }

    [Fact]
    public void Advance_SameSeed_SameReadingsAndExams()
    {
        var a = Day();
        var b = Day();

        Assert.Equal(a.Snapshot, b.Snapshot);
        Assert.Equal(a.ExamUpdates.Select(e => (e.SopInstanceUid, e.PatientName, e.Outcome)), b.ExamUpdates.Select(e => (e.SopInstanceUid, e.PatientName, e.Outcome)));
        Assert.InRange(a.ExamUpdates.Count, 20, 80);
    }
}
