using EquipmentIoT.Cloud.Notifications;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Notifications;

/// <summary>Quiet hours 22:00–07:00 Asia/Shanghai (UTC+8, no DST), and a DST zone for the gap.</summary>
public sealed class QuietHoursTests
{
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
    private static readonly QuietHours Night = new(new LocalTime(22, 0), new LocalTime(7, 0), Shanghai);

    private static Instant Local(int day, int hour, int minute = 0) => new LocalDateTime(2026, 11, day, hour, minute).InZoneStrictly(Shanghai).ToInstant();

    [Fact]
    public void NextAllowed_LateEvening_IsSevenNextMorning() =>
        Assert.Equal(Local(24, 7), Night.NextAllowed(Local(23, 23, 30)));

    [Fact]
    public void NextAllowed_EarlyMorning_IsSevenTheSameMorning() =>
        Assert.Equal(Local(24, 7), Night.NextAllowed(Local(24, 6, 59)));

    [Theory]
    [InlineData(7, 0)] // the end is not quiet
    [InlineData(12, 0)]
    [InlineData(21, 59)]
    public void NextAllowed_OutsideTheWindow_IsNow(int hour, int minute) =>
        Assert.Equal(Local(23, hour, minute), Night.NextAllowed(Local(23, hour, minute)));

    [Fact]
    public void NextAllowed_AtStart_IsQuiet() => Assert.Equal(Local(24, 7), Night.NextAllowed(Local(23, 22)));

    [Fact]
    public void NotBefore_CriticalInTheWindow_IsNowWhenBypassing()
    {
        var now = Local(23, 23);
        Assert.Equal(now, Night.NotBefore(now, critical: true));
        Assert.Equal(Local(24, 7), Night.NotBefore(now, critical: false));
        var strict = new QuietHours(new LocalTime(22, 0), new LocalTime(7, 0), Shanghai, criticalBypasses: false);
        Assert.Equal(Local(24, 7), strict.NotBefore(now, critical: true));
    }

    [Fact]
    public void NextAllowed_WindowWithinADay_EndsTheSameDay()
    {
        var lunch = new QuietHours(new LocalTime(12, 0), new LocalTime(13, 30), Shanghai);
        Assert.Equal(Local(23, 13, 30), lunch.NextAllowed(Local(23, 12, 15)));
        Assert.Equal(Local(23, 11, 0), lunch.NextAllowed(Local(23, 11, 0)));
    }

    [Fact]
    public void Contains_StartEqualsEnd_NeverQuiet() =>
        Assert.False(new QuietHours(new LocalTime(7, 0), new LocalTime(7, 0), Shanghai).Contains(Local(23, 7)));

    [Fact]
    public void NextAllowed_EndInASpringForwardGap_IsTheFirstInstantAfterIt()
    {
        // Europe/Berlin, 2026-03-29: 02:00 → 03:00. A window ending 02:30 ends at 03:00 CEST (01:00 UTC).
        var berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        var quiet = new QuietHours(new LocalTime(22, 0), new LocalTime(2, 30), berlin);
        var now = new LocalDateTime(2026, 3, 28, 23, 0).InZoneStrictly(berlin).ToInstant();
        Assert.Equal(Instant.FromUtc(2026, 3, 29, 1, 0), quiet.NextAllowed(now));
    }

    [Theory]
    [InlineData("22:00", "07:00", "Asia/Shanghai", null)]
    [InlineData("22:00:30", "07:00", "Asia/Shanghai", null)]
    [InlineData("25:00", "07:00", "Asia/Shanghai", "start")]
    [InlineData("22:00", "7", "Asia/Shanghai", "end")]
    [InlineData("22:00", "07:00", "Mars/Olympus", "time zone")]
    [InlineData("22:00", "07:00", "", "time zone")]
    public void TryParse_Text_ReadsOrSaysWhatIsWrong(string start, string end, string zone, string? complaint)
    {
        var ok = QuietHours.TryParse(start, end, zone, true, out var quiet, out var error);
        Assert.Equal(complaint is null, ok);
        if (complaint is null)
        {
            Assert.NotNull(quiet);
            Assert.Equal(new LocalTime(7, 0), quiet.End);
        }
        else
        {
            Assert.Contains(complaint, error, StringComparison.Ordinal);
        }
    }
}
