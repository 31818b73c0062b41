using EquipmentIoT.Cloud.Maintenance;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Maintenance;

public sealed class PlanRulesTests
{
    private static readonly LocalDate Jan31 = new(2028, 1, 31);

    [Fact]
    public void DueOf_AnchorOn31JanuaryMonthly_TakesEachMonthsLastDayWithoutDrift()
    {
        // 2028 is a leap year: 29 February; later months return to the 31st (counted from the anchor, not from February).
        var dues = Enumerable.Range(0, 5).Select(k => PlanRules.DueOf(Jan31, 1, k)).ToList();

        Assert.Equal([new(2028, 1, 31), new(2028, 2, 29), new(2028, 3, 31), new(2028, 4, 30), new(2028, 5, 31)], dues);
    }

    [Fact]
    public void DueOf_CommonYear_FebruaryIs28th()
    {
        Assert.Equal(new LocalDate(2026, 2, 28), PlanRules.DueOf(new LocalDate(2026, 1, 31), 1, 1));
        Assert.Equal(new LocalDate(2026, 3, 31), PlanRules.DueOf(new LocalDate(2026, 1, 31), 1, 2));
    }

    [Theory]
    [InlineData("2028-01-01", "2028-01-31")]
    [InlineData("2028-01-31", "2028-01-31")]
    [InlineData("2028-02-01", "2028-02-29")]
    [InlineData("2028-02-29", "2028-02-29")]
    [InlineData("2028-03-01", "2028-03-31")]
    [InlineData("2031-07-15", "2031-07-31")]
    public void FirstDueOnOrAfter_Dates_FindsTheOccurrence(string date, string expected)
    {
        Assert.Equal(Parse(expected), PlanRules.FirstDueOnOrAfter(Jan31, 1, Parse(date)));
    }

    [Fact]
    public void FirstDueOnOrAfter_EverySixMonths_SkipsToTheNextHalfYear()
    {
        Assert.Equal(new LocalDate(2028, 7, 31), PlanRules.FirstDueOnOrAfter(Jan31, 6, new LocalDate(2028, 2, 1)));
        Assert.Equal(new LocalDate(2029, 1, 31), PlanRules.FirstDueOnOrAfter(Jan31, 6, new LocalDate(2028, 8, 1)));
    }

    [Fact]
    public void Validate_GoodCalendarAndUsagePlans_HaveNoErrors()
    {
        Assert.Empty(PlanRules.Validate(new PlanRequest("ct-01", "Tube PM", PlanBasis.Calendar, EveryMonths: 6, Anchor: Jan31)));
        Assert.Empty(PlanRules.Validate(new PlanRequest("ct-01", "Tube check", PlanBasis.Usage, Measure: UsageMeasure.Exams, EveryUsage: 5000)));
        Assert.Empty(PlanRules.Validate(new PlanRequest("mr-01", "Cold head", PlanBasis.Usage, Measure: UsageMeasure.CounterHours,
            Metric: "compressor_hours", EveryUsage: 10_000, ReminderPercent: 5)));
    }

    [Fact]
    public void Validate_CalendarPlanWithUsageFields_NamesEveryBadField()
    {
        var errors = PlanRules.Validate(new PlanRequest("ct 01", "", PlanBasis.Calendar, EveryMonths: 0, Measure: UsageMeasure.Exams,
            ReminderPercent: 10, ReminderDays: 400));

        Assert.Contains(errors, e => e.StartsWith("device:", StringComparison.Ordinal));
        Assert.Contains("title: required", errors);
        Assert.Contains("everyMonths: must be from 1 to 120", errors);
        Assert.Contains(errors, e => e.StartsWith("anchor: required", StringComparison.Ordinal));
        Assert.Contains("measure: only for a usage plan", errors);
        Assert.Contains(errors, e => e.StartsWith("reminderPercent: only for a usage plan", StringComparison.Ordinal));
        Assert.Contains("reminderDays: must be from 0 to 365", errors);
    }

    [Fact]
    public void Validate_UsagePlanMistakes_NamesEach()
    {
        Assert.Contains(PlanRules.Validate(new PlanRequest("mr-01", "x", PlanBasis.Usage, Measure: UsageMeasure.CounterHours, EveryUsage: 10)),
            e => e.StartsWith("metric: required for counterHours", StringComparison.Ordinal));
        Assert.Contains(PlanRules.Validate(new PlanRequest("ct-01", "x", PlanBasis.Usage, Measure: UsageMeasure.Exams, Metric: "m", EveryUsage: 10)),
            e => e.StartsWith("metric: only for counterHours and laserHours", StringComparison.Ordinal));
        Assert.Contains("everyUsage: must be above 0 and at most 1000000000",
            PlanRules.Validate(new PlanRequest("ct-01", "x", PlanBasis.Usage, Measure: UsageMeasure.Exams, EveryUsage: -1)));
        Assert.Contains("everyUsage: must be above 0 and at most 1000000000",
            PlanRules.Validate(new PlanRequest("ct-01", "x", PlanBasis.Usage, Measure: UsageMeasure.Exams, EveryUsage: double.NaN)));
        Assert.Contains(PlanRules.Validate(new PlanRequest("ct-01", "x", PlanBasis.Usage, EveryUsage: 10)),
            e => e.StartsWith("measure: required for a usage plan", StringComparison.Ordinal));
        Assert.Contains("reminderPercent: must be from 0 to 90",
            PlanRules.Validate(new PlanRequest("ct-01", "x", PlanBasis.Usage, Measure: UsageMeasure.Exams, EveryUsage: 10, ReminderPercent: 95)));
        Assert.Contains(PlanRules.Validate(new PlanRequest("am-01", "x", PlanBasis.Usage, Measure: UsageMeasure.LaserHours, Metric: "laser power", EveryUsage: 10)),
            e => e.StartsWith("metric: a metric name", StringComparison.Ordinal));
    }

    [Fact]
    public void CalibrationRules_DueFromLastCalibration_AndMistakesNamed()
    {
        var request = new CalibrationRequest("ct-01", "Dosimeter", 12, LastCalibrated: new LocalDate(2026, 2, 28));
        Assert.Empty(CalibrationRules.Validate(request));
        Assert.Equal(new LocalDate(2027, 2, 28), CalibrationRules.DueOf(request));

        var errors = CalibrationRules.Validate(new CalibrationRequest("ct-01", " ", 0, Due: new LocalDate(2026, 1, 1), LastCalibrated: new LocalDate(2026, 2, 1)));
        Assert.Contains("instrument: required", errors);
        Assert.Contains("intervalMonths: must be from 1 to 120", errors);
        Assert.Contains("due: must be after lastCalibrated", errors);
        Assert.Contains(CalibrationRules.Validate(new CalibrationRequest("ct-01", "Probe", 6)), e => e.StartsWith("due: required", StringComparison.Ordinal));
    }

    private static LocalDate Parse(string text) => NodaTime.Text.LocalDatePattern.Iso.Parse(text).Value;
}
