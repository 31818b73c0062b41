using EquipmentIoT.Cloud.Ingestion;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Commands;
using NodaTime;
using NodaTime.Testing;

namespace EquipmentIoT.Cloud.Tests.Ingestion;

/// <summary>Resend pacing on a fake clock: at once, then 30 s doubling to a cap, a finite number of times; chunked commands.</summary>
public sealed class ResendScheduleTests
{
    private static readonly Instant Detected = Instant.FromUtc(2026, 11, 22, 10, 0, 0);
    private readonly ResendSchedule schedule = new(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(4), maxRequests: 6);

    [Fact]
    public void IsDue_NeverRequested_DueAtOnce() =>
        Assert.True(schedule.IsDue(Gap(requests: 0, last: null), Detected));

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(4, 240)]
    [InlineData(5, 240)] // capped at MaxResendInterval
    public void IsDue_AfterRequests_WaitsDoublingDelayUpToCap(int requests, int seconds)
    {
        var clock = new FakeClock(Detected);
        var gap = Gap(requests, last: Detected);

        clock.Advance(Duration.FromSeconds(seconds) - Duration.FromMilliseconds(1));
        Assert.False(schedule.IsDue(gap, clock.GetCurrentInstant()));
        clock.Advance(Duration.FromMilliseconds(1));
        Assert.True(schedule.IsDue(gap, clock.GetCurrentInstant()));
    }

    [Fact]
    public void IsDue_MaxRequestsMade_NeverDueAgain() =>
        Assert.False(schedule.IsDue(Gap(requests: 6, last: Detected), Detected + Duration.FromDays(365)));

    [Theory]
    [InlineData(GapStatus.Filled)]
    [InlineData(GapStatus.ReportedUnavailable)]
    public void IsDue_GapClosed_NotDue(GapStatus status) =>
        Assert.False(schedule.IsDue(Gap(requests: 0, last: null) with { Status = status }, Detected));

    [Fact]
    public void Commands_GapLargerThanOneCommand_ChunksOfAtMost100000()
    {
        var commands = ResendSchedule.Commands(Gap(0, null) with { From = 1, To = 250_000 });

        Assert.Equal([new ResendCommand("metrics", 1, 100_000), new ResendCommand("metrics", 100_001, 200_000), new ResendCommand("metrics", 200_001, 250_000)], commands);
        Assert.All(commands, c => Assert.Null(c.Validate()));
    }

    [Fact]
    public void Commands_SmallGap_OneCommandForTheRange() =>
        Assert.Equal([new ResendCommand("metrics", 7, 9)], ResendSchedule.Commands(Gap(0, null)));

    private static GapRecord Gap(int requests, Instant? last) =>
        new(1, "agent-01", "metrics", 7, 9, Detected, requests, last, GapStatus.Open);
}
