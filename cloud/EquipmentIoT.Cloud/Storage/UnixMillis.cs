using NodaTime;

namespace EquipmentIoT.Cloud.Storage;

/// <summary>
/// Every instant in the ledger and series tables (SQLite INTEGER, PostgreSQL bigint) is Unix milliseconds: the wire's precision (SPEC.md §3),
/// compact, ordered, and indexable. Finer instants (a clock's "received") are truncated towards the past.
/// </summary>
internal static class UnixMillis
{
    public static long From(Instant instant) => instant.ToUnixTimeMilliseconds();

    public static Instant ToInstant(long milliseconds) => Instant.FromUnixTimeMilliseconds(milliseconds);

    /// <summary>The start of the <paramref name="step"/>-long bucket holding <paramref name="milliseconds"/>, buckets aligned to the epoch.</summary>
    public static long FloorTo(long milliseconds, long step)
    {
        var remainder = milliseconds % step;
        return remainder < 0 ? milliseconds - remainder - step : milliseconds - remainder;
    }

    /// <summary>The first bucket start at or after <paramref name="milliseconds"/>.</summary>
    public static long CeilingTo(long milliseconds, long step)
    {
        var floor = FloorTo(milliseconds, step);
        return floor == milliseconds ? floor : floor + step;
    }
}
