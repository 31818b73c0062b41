using NodaTime;

namespace EquipmentIoT.EdgeAgent.Tests.Collection;

/// <summary>A NodaTime clock that reads a <see cref="TimeProvider"/>, so the parts taking both see one time.</summary>
internal sealed class TimeProviderClock(TimeProvider time) : IClock
{
    public Instant GetCurrentInstant() => Instant.FromDateTimeOffset(time.GetUtcNow());
}
