using EquipmentIoT.Cloud.Licences;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Tests.Licences;

public sealed class LicenceBandsTests
{
    // Deadline, day, band. Months clamp to the end of a shorter month (LocalDate.PlusMonths): 31 Mar − 1 month is the
    // last day of February, 31 Aug − 6 months is 28 Feb. The deadline day is orange; red starts the day after.
    public static TheoryData<string, string, LicenceBand> Table => new()
    {
        // 31 March in a leap year.
        { "2028-03-31", "2027-09-29", LicenceBand.None },
        { "2028-03-31", "2027-09-30", LicenceBand.Blue },
        { "2028-03-31", "2027-12-30", LicenceBand.Blue },
        { "2028-03-31", "2027-12-31", LicenceBand.Yellow },
        { "2028-03-31", "2028-02-28", LicenceBand.Yellow },
        { "2028-03-31", "2028-02-29", LicenceBand.Orange },
        { "2028-03-31", "2028-03-31", LicenceBand.Orange },
        { "2028-03-31", "2028-04-01", LicenceBand.Red },
        // 31 March in a common year: orange from 28 February.
        { "2027-03-31", "2027-02-27", LicenceBand.Yellow },
        { "2027-03-31", "2027-02-28", LicenceBand.Orange },
        // 31 August: blue from 28 February (no 31 Feb), yellow from 31 May, orange from 31 July.
        { "2027-08-31", "2027-02-27", LicenceBand.None },
        { "2027-08-31", "2027-02-28", LicenceBand.Blue },
        { "2027-08-31", "2027-05-30", LicenceBand.Blue },
        { "2027-08-31", "2027-05-31", LicenceBand.Yellow },
        { "2027-08-31", "2027-07-30", LicenceBand.Yellow },
        { "2027-08-31", "2027-07-31", LicenceBand.Orange },
        { "2027-08-31", "2027-08-31", LicenceBand.Orange },
        { "2027-08-31", "2027-09-01", LicenceBand.Red },
        // 29 February (leap day): blue from 29 August, yellow from 29 November, orange from 29 January, red from 1 March.
        { "2028-02-29", "2027-08-28", LicenceBand.None },
        { "2028-02-29", "2027-08-29", LicenceBand.Blue },
        { "2028-02-29", "2027-11-28", LicenceBand.Blue },
        { "2028-02-29", "2027-11-29", LicenceBand.Yellow },
        { "2028-02-29", "2028-01-28", LicenceBand.Yellow },
        { "2028-02-29", "2028-01-29", LicenceBand.Orange },
        { "2028-02-29", "2028-02-29", LicenceBand.Orange },
        { "2028-02-29", "2028-03-01", LicenceBand.Red },
        // 31 December: 30 June, 30 September, 30 November.
        { "2026-12-31", "2026-06-29", LicenceBand.None },
        { "2026-12-31", "2026-06-30", LicenceBand.Blue },
        { "2026-12-31", "2026-09-30", LicenceBand.Yellow },
        { "2026-12-31", "2026-11-30", LicenceBand.Orange },
        { "2026-12-31", "2027-01-01", LicenceBand.Red },
        // Long after: still red.
        { "2026-12-31", "2029-06-01", LicenceBand.Red },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void On_DeadlineAndDay_Band(string deadline, string day, LicenceBand expected) =>
        Assert.Equal(expected, LicenceBands.On(Date(deadline), Date(day)));

    [Theory]
    [InlineData("2028-03-31", "2027-09-30", "2027-12-31", "2028-02-29", "2028-04-01")]
    [InlineData("2027-03-31", "2026-09-30", "2026-12-31", "2027-02-28", "2027-04-01")]
    [InlineData("2027-08-31", "2027-02-28", "2027-05-31", "2027-07-31", "2027-09-01")]
    [InlineData("2028-02-29", "2027-08-29", "2027-11-29", "2028-01-29", "2028-03-01")]
    [InlineData("2028-08-30", "2028-02-29", "2028-05-30", "2028-07-30", "2028-08-31")]
    public void StartOf_Deadline_FirstDayOfEachBand(string deadline, string blue, string yellow, string orange, string red)
    {
        var d = Date(deadline);
        Assert.Equal([Date(blue), Date(yellow), Date(orange), Date(red)],
            new[] { LicenceBand.Blue, LicenceBand.Yellow, LicenceBand.Orange, LicenceBand.Red }.Select(b => LicenceBands.StartOf(d, b)));
    }

    [Fact]
    public void StartOf_EveryDeadlineOfFourYears_EachBandBeginsOnItsFirstDayAndNotTheDayBefore()
    {
        for (var deadline = new LocalDate(2026, 1, 1); deadline < new LocalDate(2030, 1, 1); deadline = deadline.PlusDays(1))
        {
            foreach (var band in new[] { LicenceBand.Blue, LicenceBand.Yellow, LicenceBand.Orange, LicenceBand.Red })
            {
                var start = LicenceBands.StartOf(deadline, band);
                Assert.Equal(band, LicenceBands.On(deadline, start));
                Assert.Equal(band - 1, LicenceBands.On(deadline, start.PlusDays(-1)));
            }
        }
    }

    [Theory]
    [InlineData("2028-03-31", "2028-03-31", 0)]
    [InlineData("2028-03-31", "2028-02-29", 31)]
    [InlineData("2028-03-31", "2028-04-07", -7)]
    public void DaysLeft_DeadlineAndDay_WholeDays(string deadline, string day, int expected) =>
        Assert.Equal(expected, LicenceBands.DaysLeft(Date(deadline), Date(day)));

    [Fact]
    public void BandOf_SameInstantAtTwoSites_EachSiteItsOwnLocalDate()
    {
        // 2028-03-31T16:30Z: already 1 April 00:30 in Shanghai (red), still 31 March 22:30 in Urumqi (orange).
        var licence = Licence("sh");
        var day = new LicenceDay(Instant.FromUtc(2028, 3, 31, 16, 30),
            new Dictionary<string, DateTimeZone> { ["sh"] = DateTimeZoneProviders.Tzdb["Asia/Shanghai"], ["xj"] = DateTimeZoneProviders.Tzdb["Asia/Urumqi"] },
            DateTimeZoneProviders.Tzdb["Asia/Shanghai"]);

        Assert.Equal(LicenceBand.Red, day.BandOf(licence));
        Assert.Equal(LicenceBand.Orange, day.BandOf(licence with { SiteId = "xj" }));
        Assert.Equal(LicenceBand.Red, day.BandOf(licence with { SiteId = "unknown" }));
        Assert.Equal(LicenceBand.None, day.BandOf(licence with { Status = LicenceStatus.Fulfilled }));
    }

    private static Licence Licence(string site) =>
        new(1, "甲2027-001", LicenceCategory.ClassA, "PET/CT", "上海市第一人民医院", "上海", "国家卫生健康委员会", new LocalDate(2026, 12, 1),
            new LocalDate(2028, 3, 31), LicenceForm.Original, null, site, [], LicenceStatus.Active, null, null, null, Instant.MinValue, Instant.MinValue);

    private static LocalDate Date(string text) => LocalDatePattern.Iso.Parse(text).Value;
}
