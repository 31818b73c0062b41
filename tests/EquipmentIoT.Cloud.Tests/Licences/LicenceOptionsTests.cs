using EquipmentIoT.Cloud.Licences;

namespace EquipmentIoT.Cloud.Tests.Licences;

public sealed class LicenceOptionsTests
{
    [Fact]
    public void Validate_Defaults_Succeeds() => Assert.True(new LicenceOptionsValidator().Validate(null, new LicenceOptions()).Succeeded);

    [Fact]
    public void Validate_BadZoneTemplateLanguageAndPlaceholder_EachNamed()
    {
        var options = new LicenceOptions { TimeZone = "China Standard Time", DailyAt = new TimeSpan(8, 30, 15) };
        options.Templates["purple"] = new() { ["zh"] = "x" };
        options.Templates["red"] = new() { ["fr"] = "x", ["zh"] = "许可证 {licence} 的 {hospital}" };

        var result = new LicenceOptionsValidator().Validate(null, options);

        Assert.Equal(
        [
            "Licences:TimeZone 'China Standard Time' is not an IANA time zone (e.g. Asia/Shanghai)",
            "Licences:DailyAt '08:30:15' must be whole minutes (08:30)",
            "Licences:Templates:purple: not a template (one of blue, yellow, orange, red, escalation)",
            "Licences:Templates:red:fr: not a language (zh or en)",
            "Licences:Templates:red:zh: unknown placeholder {hospital} (known: {licence}, {equipment}, {holder}, {region}, {category}, {deadline}, {days}, {escalation}, {manager})",
        ], result.Failures!);
    }

    [Fact]
    public void DailyCron_Time_QuartzSecondsMinutesHours() =>
        Assert.Equal(["0 30 8 * * ?", "0 0 0 * * ?", "0 5 23 * * ?"],
            new[] { new TimeSpan(8, 30, 0), TimeSpan.Zero, new TimeSpan(23, 5, 0) }.Select(LicenceServiceCollectionExtensions.DailyCron));
}
