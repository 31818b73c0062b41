using EquipmentIoT.Cloud.Usage;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Usage;

public sealed class UsageCalculatorTests
{
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
    private static readonly LocalDate Day = new(2026, 3, 2);
    private static readonly Instant Far = Instant.FromUtc(2030, 1, 1, 0, 0);

    private static UsageDevice Device(string id = "ct-01", string? cls = "CT", DateTimeZone? zone = null, OpeningHours? opening = null) =>
        new(id, cls, zone ?? DateTimeZone.Utc, opening ?? OpeningHours.Always);

    private static Instant Utc(int day, int hour, int minute = 0) => Instant.FromUtc(2026, 3, day, hour, minute);

    private static TelemetryEvent State(Instant at, string state, string device = "ct-01") =>
        new(device, EventTypes.State, at, new Dictionary<string, EventValue> { ["state"] = state });

    private static TelemetryEvent Exam(string type, Instant at, string? id = null, double? seconds = null, string device = "ct-01")
    {
        var data = new Dictionary<string, EventValue> { ["Modality"] = "CT" };
        if (id is not null) data["StudyInstanceUID"] = id;
        if (seconds is { } s) data["durationSeconds"] = s;
        return new TelemetryEvent(device, type, at, data);
    }

    private static DeviceUsage One(IEnumerable<TelemetryEvent> events, UsageDevice? device = null, LocalDate? from = null, LocalDate? to = null,
        Instant? now = null) =>
        Assert.Single(UsageCalculator.Compute([device ?? Device()], events, from ?? Day, to ?? from ?? Day, now ?? Far).Devices);

    [Fact]
    public void Compute_StateEvents_WorkingTimeIsTimeOutsideIdleAndOff()
    {
        var usage = One([State(Utc(2, 8), "idle"), State(Utc(2, 9), "scanning"), State(Utc(2, 11), "idle"), State(Utc(2, 12), "printing"),
            State(Utc(2, 12, 30), "off")]);
        Assert.Equal(WorkingTimeSource.States, usage.Source);
        Assert.Equal(Duration.FromMinutes(150), usage.Working);
        Assert.Equal(Duration.FromHours(24), usage.Open);
        Assert.Equal(150.0 / (24 * 60), usage.Utilisation!.Value, 9);
    }

    [Theory]
    [InlineData("ready")]
    [InlineData("FAULT")]
    [InlineData("standby")]
    [InlineData("offline")]
    public void Compute_NonWorkingState_CountsNothing(string state)
    {
        Assert.Equal(Duration.Zero, One([State(Utc(2, 8), state), State(Utc(2, 20), "idle")]).Working);
    }

    [Fact]
    public void Compute_StateSetBeforeTheRange_HoldsFromTheRangeStart()
    {
        var usage = One([State(Utc(1, 22), "scanning"), State(Utc(2, 2), "idle")]);
        Assert.Equal(Duration.FromHours(2), usage.Working);
    }

    [Fact]
    public void Compute_LastStateWithNowInsideTheDay_HoldsUntilNowAndOpenTimeEndsNow()
    {
        var usage = One([State(Utc(2, 10), "scanning")], now: Utc(2, 12));
        Assert.Equal(Duration.FromHours(2), usage.Working);
        Assert.Equal(Duration.FromHours(12), usage.Open);
        Assert.Equal(2.0 / 12, usage.Utilisation!.Value, 9);
    }

    [Fact]
    public void Compute_DayInTheFuture_HasNoOpenTimeAndNoUtilisation()
    {
        var usage = One([State(Utc(2, 10), "scanning")], to: Day.PlusDays(1), now: Utc(2, 12));
        Assert.Equal(Duration.Zero, usage.Days[1].Open);
        Assert.Null(usage.Days[1].Utilisation);
        Assert.Equal(Duration.Zero, usage.Days[1].Working);
    }

    [Fact]
    public void Compute_NoStateEvents_WorkingTimeFromExamDurations()
    {
        var usage = One([Exam(EventTypes.ExamCompleted, Utc(2, 9), seconds: 600), Exam(EventTypes.ExamCompleted, Utc(2, 10), seconds: 900)]);
        Assert.Equal(WorkingTimeSource.Exams, usage.Source);
        Assert.Equal(2, usage.Exams);
        Assert.Equal(Duration.FromMinutes(25), usage.Working);
    }

    [Fact]
    public void Compute_StateEventsPresent_ExamDurationsDoNotAddWorkingTime()
    {
        var usage = One([State(Utc(2, 8), "scanning"), State(Utc(2, 9), "idle"), Exam(EventTypes.ExamCompleted, Utc(2, 12), seconds: 3600)]);
        Assert.Equal(Duration.FromHours(1), usage.Working);
        Assert.Equal(1, usage.Exams);
    }

    [Fact]
    public void Compute_InterleavedExamsWithIds_PairedByIdForTheirDurations()
    {
        var usage = One([
            Exam(EventTypes.ExamStarted, Utc(2, 9), "2.25.1"),
            Exam(EventTypes.ExamStarted, Utc(2, 9, 10), "2.25.2"),
            Exam(EventTypes.ExamCompleted, Utc(2, 9, 20), "2.25.1"),
            Exam(EventTypes.ExamCompleted, Utc(2, 9, 40), "2.25.2"),
        ]);
        // 09:00-09:20 and 09:10-09:40 overlap: working is their union, 40 minutes.
        Assert.Equal(Duration.FromMinutes(40), usage.Working);
        Assert.Equal(2, usage.Exams);
    }

    [Fact]
    public void Compute_CompletionWithUnknownId_CountsTheExamWithoutWorkingTime()
    {
        var usage = One([Exam(EventTypes.ExamStarted, Utc(2, 9), "2.25.1"), Exam(EventTypes.ExamCompleted, Utc(2, 10), "2.25.9")]);
        Assert.Equal(1, usage.Exams);
        Assert.Equal(Duration.Zero, usage.Working);
    }

    [Fact]
    public void Compute_ExamsWithoutIds_PairTheLatestOpenStart()
    {
        var usage = One([Exam(EventTypes.ExamStarted, Utc(2, 9)), Exam(EventTypes.ExamCompleted, Utc(2, 9, 30)),
            Exam(EventTypes.ExamStarted, Utc(2, 10)), Exam(EventTypes.ExamCompleted, Utc(2, 10, 15))]);
        Assert.Equal(Duration.FromMinutes(45), usage.Working);
    }

    [Fact]
    public void Compute_SyntheticAgentExams_StartAndCompleteAtOneInstant_CountedWithZeroWorkingTime()
    {
        // What edge-agent/…/Adapters/Synthetic emits after PHI scrubbing: no id, no duration, both at "now".
        var usage = One([Exam(EventTypes.ExamStarted, Utc(2, 9)), Exam(EventTypes.ExamCompleted, Utc(2, 9)),
            Exam(EventTypes.ExamStarted, Utc(2, 10)), Exam(EventTypes.ExamCompleted, Utc(2, 10))]);
        Assert.Equal(2, usage.Exams);
        Assert.Equal(Duration.Zero, usage.Working);
        Assert.Equal(0.0, usage.Utilisation);
    }

    [Fact]
    public void Compute_ExamOverMidnight_SplitsWorkingTimeAndCountsOnItsCompletionDay()
    {
        var usage = One([Exam(EventTypes.ExamStarted, Utc(1, 23, 30), "a"), Exam(EventTypes.ExamCompleted, Utc(2, 0, 30), "a")],
            from: Day.PlusDays(-1), to: Day);
        Assert.Equal([0, 1], usage.Days.Select(d => d.Exams));
        Assert.Equal([Duration.FromMinutes(30), Duration.FromMinutes(30)], usage.Days.Select(d => d.Working));
    }

    [Fact]
    public void Compute_DiscontinuedExam_CountedApartWithItsRunningTime()
    {
        var usage = One([Exam(EventTypes.ExamStarted, Utc(2, 9), "a"), Exam(EventTypes.ExamDiscontinued, Utc(2, 9, 5), "a"),
            Exam(EventTypes.ExamStarted, Utc(2, 9, 10), "b"), Exam(EventTypes.ExamCompleted, Utc(2, 9, 30), "b")]);
        Assert.Equal(1, usage.Exams);
        Assert.Equal(1, usage.Discontinued);
        Assert.Equal(Duration.FromMinutes(25), usage.Working);
    }

    [Fact]
    public void Compute_BerlinSpringForward_DayIs23HoursAndAllDayScanningIsFullUtilisation()
    {
        // 2026-03-29: 02:00 CET becomes 03:00 CEST; the local day runs 2026-03-28T23:00Z to 2026-03-29T22:00Z.
        var date = new LocalDate(2026, 3, 29);
        var usage = One([State(Instant.FromUtc(2026, 3, 28, 12, 0), "scanning")], Device(zone: Berlin), date, date, Instant.FromUtc(2026, 4, 1, 0, 0));
        Assert.Equal(Duration.FromHours(23), usage.Open);
        Assert.Equal(Duration.FromHours(23), usage.Working);
        Assert.Equal(1.0, usage.Utilisation);
    }

    [Fact]
    public void Compute_BerlinFallBack_DayIs25Hours()
    {
        // 2026-10-25: 03:00 CEST becomes 02:00 CET; the local day runs 2026-10-24T22:00Z to 2026-10-25T23:00Z.
        var date = new LocalDate(2026, 10, 25);
        var usage = One([State(Instant.FromUtc(2026, 10, 25, 0, 0), "scanning"), State(Instant.FromUtc(2026, 10, 25, 5, 0), "idle")],
            Device(zone: Berlin), date, date, Instant.FromUtc(2026, 11, 1, 0, 0));
        Assert.Equal(Duration.FromHours(25), usage.Open);
        Assert.Equal(Duration.FromHours(5), usage.Working);
        Assert.Equal(5.0 / 25, usage.Utilisation!.Value, 9);
    }

    [Fact]
    public void Compute_BerlinAroundTheTransition_ExamsFallOnTheirLocalDay()
    {
        // 2026-03-28T23:30Z is 2026-03-29 00:30 CET; 2026-03-29T22:30Z is 2026-03-30 00:30 CEST.
        var from = new LocalDate(2026, 3, 28);
        var usage = One([
            Exam(EventTypes.ExamCompleted, Instant.FromUtc(2026, 3, 28, 22, 30)),
            Exam(EventTypes.ExamCompleted, Instant.FromUtc(2026, 3, 28, 23, 30)),
            Exam(EventTypes.ExamCompleted, Instant.FromUtc(2026, 3, 29, 21, 30)),
            Exam(EventTypes.ExamCompleted, Instant.FromUtc(2026, 3, 29, 22, 30)),
        ], Device(zone: Berlin), from, from.PlusDays(2));
        Assert.Equal([1, 2, 1], usage.Days.Select(d => d.Exams));
        Assert.Equal([Duration.FromHours(24), Duration.FromHours(23), Duration.FromHours(24)], usage.Days.Select(d => d.Open));
    }

    [Fact]
    public void Compute_Shanghai_LocalDayStartsAt16Utc()
    {
        // Asia/Shanghai is UTC+8 all year (no DST since 1991): 2026-03-01T16:00Z is 2026-03-02 00:00 local.
        var usage = One([
            Exam(EventTypes.ExamCompleted, Utc(1, 15, 59)),
            Exam(EventTypes.ExamCompleted, Utc(1, 16, 0)),
            State(Utc(1, 15), "scanning"), State(Utc(1, 17), "idle"),
        ], Device(zone: Shanghai));
        Assert.Equal(1, usage.Exams);
        Assert.Equal(Duration.FromHours(1), usage.Working);
        Assert.Equal(Duration.FromHours(24), usage.Open);
        Assert.Equal("Asia/Shanghai", usage.TimeZone);
    }

    [Fact]
    public void Compute_OpeningHours_UtilisationCountsOnlyWorkingTimeInsideThem()
    {
        var device = Device(opening: OpeningHours.Between(new LocalTime(8, 0), new LocalTime(18, 0)));
        var usage = One([State(Utc(2, 6), "scanning"), State(Utc(2, 10), "idle")], device);
        Assert.Equal(Duration.FromHours(4), usage.Working);
        Assert.Equal(Duration.FromHours(10), usage.Open);
        Assert.Equal(0.2, usage.Utilisation!.Value, 9);
    }

    [Fact]
    public void Compute_OpeningHoursAcrossTheSpringGap_AreOneHourShorter()
    {
        var date = new LocalDate(2026, 3, 29);
        var device = Device(zone: Berlin, opening: OpeningHours.Between(new LocalTime(1, 0), new LocalTime(4, 0)));
        Assert.Equal(Duration.FromHours(2), One([], device, date, date).Open);
    }

    [Fact]
    public void Compute_DevicesOfOneClassInTwoZones_ClassSumsTheirLocalDays()
    {
        var devices = new[] { Device("ct-01", "CT", Berlin), Device("ct-02", "CT", Shanghai), Device("mr-01", "MR") };
        var events = new[]
        {
            State(Instant.FromUtc(2026, 3, 2, 8, 0), "scanning", "ct-01"), State(Instant.FromUtc(2026, 3, 2, 14, 0), "idle", "ct-01"),
            State(Instant.FromUtc(2026, 3, 2, 0, 0), "scanning", "ct-02"), State(Instant.FromUtc(2026, 3, 2, 2, 0), "idle", "ct-02"),
            Exam(EventTypes.ExamCompleted, Instant.FromUtc(2026, 3, 2, 9, 0), device: "ct-01"),
            Exam(EventTypes.ExamCompleted, Instant.FromUtc(2026, 3, 2, 1, 0), device: "ct-02"),
            State(Instant.FromUtc(2026, 3, 2, 0, 0), "scanning", "mr-01"),
            State(Instant.FromUtc(2026, 3, 2, 5, 0), "weird", "other-device"),
        };
        var report = UsageCalculator.Compute(devices, events, Day, Day, Far);
        var ct = Assert.Single(report.Classes, c => c.DeviceClass == "CT");
        Assert.Equal(2, ct.Devices);
        Assert.Equal(2, ct.Exams);
        Assert.Equal(Duration.FromHours(8), ct.Working);
        Assert.Equal(Duration.FromHours(48), ct.Open);
        Assert.Equal(8.0 / 48, ct.Utilisation!.Value, 9);
        Assert.Equal(Duration.FromHours(24), Assert.Single(report.Classes, c => c.DeviceClass == "MR").Working);
        Assert.Equal(["ct-01", "ct-02", "mr-01"], report.Devices.Select(d => d.Device));
    }

    [Fact]
    public void Compute_StateEventWithoutATextState_IsSkippedAndCounted()
    {
        var bad = new TelemetryEvent("ct-01", EventTypes.State, Utc(2, 9), new Dictionary<string, EventValue> { ["state"] = 3 });
        var report = UsageCalculator.Compute([Device()], [bad, State(Utc(2, 8), "scanning"), State(Utc(2, 10), "idle")], Day, Day, Far);
        Assert.Equal(1, report.SkippedEvents);
        Assert.Equal(Duration.FromHours(2), report.Devices[0].Working);
    }

    [Fact]
    public void Compute_EventsInAnyOrder_GiveTheSameResult()
    {
        var events = new[] { State(Utc(2, 8), "scanning"), State(Utc(2, 9), "idle"), State(Utc(2, 12), "printing"), State(Utc(2, 13), "off") };
        Assert.Equal(One(events).Working, One(events.Reverse()).Working);
        Assert.Equal(Duration.FromHours(2), One(events.Reverse()).Working);
    }

    [Fact]
    public void Compute_RangeEndingBeforeItStarts_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => UsageCalculator.Compute([Device()], [], Day, Day.PlusDays(-1), Far));
    }

    [Fact]
    public void Compute_AYearOfMinuteStateChanges_RunsInOnePass()
    {
        var events = new List<TelemetryEvent>();
        var t = Instant.FromUtc(2025, 1, 1, 0, 0);
        for (var i = 0; i < 365 * 24 * 6; i++) events.Add(State(t + Duration.FromMinutes(10 * i), i % 2 == 0 ? "scanning" : "idle"));
        var usage = One(events, from: new LocalDate(2025, 1, 1), to: new LocalDate(2025, 12, 31));
        Assert.Equal(365, usage.Days.Count);
        Assert.Equal(0.5, usage.Utilisation!.Value, 9);
    }
}
