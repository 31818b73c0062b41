using System.Runtime.Versioning;
namespace EquipmentIoT.EdgeAgent.Tests.Buffer;

/// <summary>A clock that moves only when told to. Timers stay real: tests give the buffer an hour-long maintenance interval and run maintenance themselves.</summary>
[SupportedOSPlatform("linux")]
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long _utcTicks = start.UtcTicks;

    public static DateTimeOffset DefaultStart { get; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);
}
