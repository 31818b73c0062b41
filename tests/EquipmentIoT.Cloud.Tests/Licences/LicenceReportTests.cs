using EquipmentIoT.Cloud.Licences;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Licences;

public sealed class LicenceReportTests
{
    // Six licences around March 2028, counted on 15 March 2028.
    private static readonly Licence[] Register =
    [
        L(1, "上海", LicenceCategory.ClassA, "2028-03-31"),                                   // active, orange, expiring
        L(2, "上海", LicenceCategory.ClassB, "2028-03-10"),                                   // active, red, expiring, overdue
        L(3, "上海", LicenceCategory.ClassB, "2028-03-20", fulfilled: "2028-03-05"),          // fulfilled in March, expiring
        L(4, "北京", LicenceCategory.ClassA, "2028-08-31"),                                   // active, blue
        L(5, "北京", LicenceCategory.ClassA, "2028-03-05", revoked: "2028-02-20"),            // revoked before March: nowhere
        L(6, "北京", LicenceCategory.ClassB, "2028-03-25", revoked: "2028-03-10"),            // revoked in March, expiring, not overdue
    ];

    [Fact]
    public void Build_Month_CountsPerRegionAndCategoryOnTheReportDay()
    {
        var report = LicenceReport.Build(Register, ReportPeriod.Month, D("2028-03-02"), D("2028-03-15"));

        Assert.Equal((D("2028-03-01"), D("2028-03-31"), D("2028-03-15")), (report.From, report.To, report.AsOf));
        Assert.Equal(
        [
            ("上海", LicenceCategory.ClassA, new[] { 1, 0, 0, 0, 1, 0, 1, 0, 0, 0 }),
            ("上海", LicenceCategory.ClassB, new[] { 1, 0, 0, 0, 0, 1, 2, 1, 1, 0 }),
            ("北京", LicenceCategory.ClassA, new[] { 1, 0, 1, 0, 0, 0, 0, 0, 0, 0 }),
            ("北京", LicenceCategory.ClassB, new[] { 0, 0, 0, 0, 0, 0, 1, 0, 0, 1 }),
        ], report.Rows.Select(r => (r.Region, r.Category, r.Counts.Columns().ToArray())));
        Assert.Equal([3, 0, 1, 0, 1, 1, 4, 1, 1, 1], report.Totals.Columns());
        Assert.Equal([2L, 3, 6, 1], report.Expiring.Select(e => e.Id));
        Assert.Equal([LicenceBand.Red, LicenceBand.None, LicenceBand.None, LicenceBand.Orange], report.Expiring.Select(e => e.Band));
    }

    [Fact]
    public void Build_PastYear_CountedOnItsLastDay()
    {
        var report = LicenceReport.Build(Register, ReportPeriod.Year, D("2027-07-01"), D("2028-03-15"));

        Assert.Equal((D("2027-01-01"), D("2027-12-31"), D("2027-12-31")), (report.From, report.To, report.AsOf));
        // On 31 December 2027 all six were active and none expired in 2027: the five March deadlines were yellow (from
        // 5, 10, 20, 25 and 31 December), the 31 August one not yet blue (from 29 February).
        Assert.Equal(6, report.Totals.Active);
        Assert.Equal([6, 1, 0, 5, 0, 0, 0, 0, 0, 0], report.Totals.Columns());
        Assert.Empty(report.Expiring);
    }

    [Fact]
    public void Csv_ChineseAndEnglish_HeadersRowsAndTotalWithByteOrderMark()
    {
        var report = LicenceReport.Build(Register, ReportPeriod.Month, D("2028-03-02"), D("2028-03-15"));

        var zh = LicenceReportText.Csv(report, "zh");
        var en = LicenceReportText.Csv(report, "en");

        Assert.Equal(
            "\uFEFF地区,类别,在用,未预警,蓝色,黄色,橙色,红色,期内到期,期内逾期,期内装机,期内注销\r\n" +
            "上海,甲类,1,0,0,0,1,0,1,0,0,0\r\n" +
            "上海,乙类,1,0,0,0,0,1,2,1,1,0\r\n" +
            "北京,甲类,1,0,1,0,0,0,0,0,0,0\r\n" +
            "北京,乙类,0,0,0,0,0,0,1,0,0,1\r\n" +
            "合计,,3,0,1,0,1,1,4,1,1,1\r\n", zh);
        Assert.StartsWith("\uFEFFRegion,Category,Active,None,Blue,Yellow,Orange,Red,Expiring,Overdue,Fulfilled,Revoked\r\n上海,Class A,", en, StringComparison.Ordinal);
        Assert.EndsWith("Total,,3,0,1,0,1,1,4,1,1,1\r\n", en, StringComparison.Ordinal);
        Assert.Equal("licences-2028-03.csv", LicenceReportText.FileName(report));
    }

    [Fact]
    public void Csv_RegionWithCommaAndQuote_QuotedPerRfc4180()
    {
        var report = LicenceReport.Build([L(1, "广东,\"深圳\"", LicenceCategory.ClassA, "2028-03-31")], ReportPeriod.Month, D("2028-03-01"), D("2028-03-01"));

        Assert.Contains("\r\n\"广东,\"\"深圳\"\"\",甲类,1,", LicenceReportText.Csv(report, "zh"), StringComparison.Ordinal);
    }

    private static Licence L(long id, string region, LicenceCategory category, string deadline, string? fulfilled = null, string? revoked = null) =>
        new(id, $"L-{id}", category, "PET/CT", "医院", region, "卫健委", D("2026-12-01"), D(deadline), LicenceForm.Original, null, null, [],
            fulfilled is not null ? LicenceStatus.Fulfilled : revoked is not null ? LicenceStatus.Revoked : LicenceStatus.Active,
            fulfilled is null ? null : D(fulfilled), revoked is null ? null : D(revoked), null, Instant.MinValue, Instant.MinValue);

    private static LocalDate D(string text) => NodaTime.Text.LocalDatePattern.Iso.Parse(text).Value;
}
