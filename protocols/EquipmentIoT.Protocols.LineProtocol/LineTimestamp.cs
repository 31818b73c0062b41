using System.Numerics;
using NodaTime;

namespace EquipmentIoT.Protocols.LineProtocol;

/// <summary>Conversions between instants and line protocol timestamps in a given precision.</summary>
public static class LineTimestamp
{
    /// <summary>
    /// The earliest nanosecond timestamp InfluxDB 1.x stores (1677-09-21T00:12:43.145224194Z); the two lowest
    /// 64-bit values are reserved by the server.
    /// </summary>
    public const long MinNanoseconds = long.MinValue + 2;

    /// <summary>The latest nanosecond timestamp InfluxDB 1.x stores (2262-04-11T23:47:16.854775806Z).</summary>
    public const long MaxNanoseconds = long.MaxValue - 1;

    private static readonly BigInteger MinInstantNanoseconds = (Instant.MinValue - NodaConstants.UnixEpoch).ToBigIntegerNanoseconds();
    private static readonly BigInteger MaxInstantNanoseconds = (Instant.MaxValue - NodaConstants.UnixEpoch).ToBigIntegerNanoseconds();

    /// <summary>Nanoseconds in one unit of the precision.</summary>
    /// <param name="precision">The precision.</param>
    /// <returns>1, 1 000, 1 000 000 or 1 000 000 000.</returns>
    public static long NanosecondsPer(LinePrecision precision) => precision switch
    {
        LinePrecision.Microseconds => 1_000,
        LinePrecision.Milliseconds => 1_000_000,
        LinePrecision.Seconds => 1_000_000_000,
        _ => 1,
    };

    /// <summary>The instant floored to whole units of <paramref name="precision"/> since the Unix epoch.</summary>
    /// <param name="instant">The instant.</param>
    /// <param name="precision">The unit.</param>
    /// <param name="units">The count of units, when it fits 64 bits.</param>
    /// <returns>False when the count does not fit 64 bits (nanoseconds outside 1677..2262).</returns>
    public static bool TryFromInstant(Instant instant, LinePrecision precision, out long units)
    {
        var nanoseconds = (instant - NodaConstants.UnixEpoch).ToBigIntegerNanoseconds();
        var floored = BigInteger.DivRem(nanoseconds, NanosecondsPer(precision), out var remainder);
        if (remainder.Sign < 0) floored -= 1;
        if (floored < long.MinValue || floored > long.MaxValue)
        {
            units = 0;
            return false;
        }

        units = (long)floored;
        return true;
    }

    /// <summary>The instant a timestamp names, when it lies inside NodaTime's range (years -9998..9999).</summary>
    /// <param name="units">Units of <paramref name="precision"/> since the Unix epoch.</param>
    /// <param name="precision">The unit.</param>
    /// <param name="instant">The instant.</param>
    /// <returns>False for counts of seconds (or milliseconds) beyond NodaTime's range.</returns>
    public static bool TryToInstant(long units, LinePrecision precision, out Instant instant)
    {
        var nanoseconds = new BigInteger(units) * NanosecondsPer(precision);
        if (nanoseconds < MinInstantNanoseconds || nanoseconds > MaxInstantNanoseconds)
        {
            instant = default;
            return false;
        }

        instant = NodaConstants.UnixEpoch + Duration.FromNanoseconds(nanoseconds);
        return true;
    }

    /// <summary>Whether InfluxDB 1.x accepts the timestamp: its nanosecond value must lie in [<see cref="MinNanoseconds"/>, <see cref="MaxNanoseconds"/>].</summary>
    /// <param name="units">Units of <paramref name="precision"/> since the Unix epoch.</param>
    /// <param name="precision">The unit.</param>
    /// <returns>True when the server can store it.</returns>
    public static bool IsInServerRange(long units, LinePrecision precision)
    {
        var per = NanosecondsPer(precision);
        return units >= MinNanoseconds / per && units <= MaxNanoseconds / per;
    }
}
