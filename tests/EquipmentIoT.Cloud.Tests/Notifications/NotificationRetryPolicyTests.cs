using EquipmentIoT.Cloud.Notifications.Dispatch;

namespace EquipmentIoT.Cloud.Tests.Notifications;

/// <summary>Backoff: doubling from the initial delay to the cap, jittered into [step/2, step), a finite number of attempts, reproducible with a seed.</summary>
public sealed class NotificationRetryPolicyTests
{
    private static NotificationRetryPolicy Policy(int seed = 7) => new(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10), maxAttempts: 12, new Random(seed));

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(6, 320)]
    [InlineData(7, 600)] // 640 s capped at 10 min
    [InlineData(11, 600)]
    public void ShouldRetry_AfterAttempts_DelayIsJitteredDoublingStepUpToCap(int attempts, int stepSeconds)
    {
        var policy = Policy();
        for (var i = 0; i < 100; i++)
        {
            Assert.True(policy.ShouldRetry(attempts, out var delay));
            Assert.InRange(delay.TotalSeconds, stepSeconds * 0.5, stepSeconds);
        }
    }

    [Fact]
    public void ShouldRetry_MaxAttemptsReached_GivesUp()
    {
        var policy = Policy();
        Assert.True(policy.ShouldRetry(11, out _));
        Assert.False(policy.ShouldRetry(12, out var delay));
        Assert.Equal(TimeSpan.Zero, delay);
        Assert.False(policy.ShouldRetry(1000, out _));
    }

    [Fact]
    public void ShouldRetry_SameSeed_SameDelays()
    {
        var a = Policy(seed: 3);
        var b = Policy(seed: 3);
        for (var attempt = 1; attempt < 12; attempt++)
        {
            a.ShouldRetry(attempt, out var x);
            b.ShouldRetry(attempt, out var y);
            Assert.Equal(x, y);
        }
    }

    [Fact]
    public void ShouldRetry_ManyAttempts_DelaysSpreadOverTheJitterRange()
    {
        var policy = Policy();
        var delays = Enumerable.Range(0, 200).Select(_ => policy.ShouldRetry(1, out var d) ? d.TotalSeconds : 0).ToList();
        Assert.True(delays.Min() < 6.5, $"min {delays.Min()}");
        Assert.True(delays.Max() > 9.0, $"max {delays.Max()}");
    }

    [Fact]
    public void Constructor_CapBelowInitialOrNoAttempts_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NotificationRetryPolicy(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NotificationRetryPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NotificationRetryPolicy(TimeSpan.Zero, TimeSpan.FromSeconds(10), 3));
    }
}
