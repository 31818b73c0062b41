using NodaTime;

namespace EquipmentIoT.Cloud.Usage;

/// <summary>
/// When a site is open on a local day: all day (the default), or from <see cref="Open"/> to <see cref="Close"/>
/// local time. Utilisation divides working time inside the opening by the opening's real length, which on a
/// DST day is what the clocks make it: "all day" is 23 h on the spring-forward day in Europe/Berlin and 25 h
/// on the fall-back day, never a nominal 24 h.
/// </summary>
public sealed record OpeningHours(LocalTime Open, LocalTime Close, bool AllDay)
{
    /// <summary>Open around the clock.</summary>
    public static OpeningHours Always { get; } = new(LocalTime.Midnight, LocalTime.Midnight, true);

    /// <summary>Open from <paramref name="open"/> to <paramref name="close"/> local time on the same day.</summary>
    public static OpeningHours Between(LocalTime open, LocalTime close) =>
        close > open ? new(open, close, false) : throw new ArgumentException("opening hours must close after they open on the same day", nameof(close));

    /// <summary>The instants the site is open on <paramref name="date"/> in <paramref name="zone"/>.</summary>
    /// <remarks>A time skipped by a DST gap maps to the instant after the gap, a repeated one to its first occurrence (NodaTime's lenient resolver).</remarks>
    public Interval On(LocalDate date, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return AllDay
            ? new Interval(zone.AtStartOfDay(date).ToInstant(), zone.AtStartOfDay(date.PlusDays(1)).ToInstant())
            : new Interval(zone.AtLeniently(date + Open).ToInstant(), zone.AtLeniently(date + Close).ToInstant());
    }
}
