using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;

namespace EquipmentIoT.Protocols.Tests.Mqtt.Client;

public class MqttRetryPolicyTests
{
    private static readonly Exception Transient = new MqttCommunicationException("connection refused");

    [Fact]
    public void ShouldRetry_SuccessiveAttempts_DelayDoublesWithinJitterBand()
    {
        var policy = new MqttRetryPolicy(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60), 10, new Random(7));
        for (var attempt = 1; attempt <= 8; attempt++)
        {
            Assert.True(policy.ShouldRetry(attempt, Transient, out var delay));
            var step = 100 * Math.Pow(2, attempt - 1);
            Assert.InRange(delay.TotalMilliseconds, step * 0.5, step);
        }
    }

    [Fact]
    public void ShouldRetry_ManyAttempts_DelayNeverExceedsCap()
    {
        var policy = new MqttRetryPolicy(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), 1000, new Random(7));
        for (var attempt = 1; attempt <= 1000; attempt++)
        {
            Assert.True(policy.ShouldRetry(attempt, Transient, out var delay));
            Assert.True(delay <= TimeSpan.FromSeconds(5), $"attempt {attempt}: {delay}");
        }
    }

    [Fact]
    public void ShouldRetry_PastMaxAttempts_GivesUp()
    {
        var policy = new MqttRetryPolicy(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1), 3, new Random(1));
        Assert.True(policy.ShouldRetry(3, Transient, out _));
        Assert.False(policy.ShouldRetry(4, Transient, out _));
    }

    [Fact]
    public void ShouldRetry_NonTransientError_WaitsAtTheCap()
    {
        var policy = new MqttRetryPolicy(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(30), 5, new Random(1));
        Assert.True(policy.ShouldRetry(1, new MqttCommunicationException("bad certificate", isTransient: false), out var delay));
        Assert.InRange(delay.TotalSeconds, 15, 30);
    }

    [Fact]
    public void ShouldRetry_SameSeed_SameDelays()
    {
        var a = new MqttRetryPolicy(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10), 20, new Random(42));
        var b = new MqttRetryPolicy(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10), 20, new Random(42));
        for (var attempt = 1; attempt <= 20; attempt++)
        {
            a.ShouldRetry(attempt, Transient, out var da);
            b.ShouldRetry(attempt, Transient, out var db);
            Assert.Equal(da, db);
        }
    }

    [Fact]
    public void Default_IsFinite()
    {
        Assert.True(MqttRetryPolicy.Default.MaxAttempts < int.MaxValue);
        Assert.Equal(TimeSpan.FromSeconds(60), MqttRetryPolicy.Default.MaxDelay);
    }
}
