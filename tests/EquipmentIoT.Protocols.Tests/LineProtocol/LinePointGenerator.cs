using System.Text;
using EquipmentIoT.Protocols.LineProtocol;

namespace EquipmentIoT.Protocols.Tests.LineProtocol;

/// <summary>Random valid points whose names are full of delimiters, quotes, backslashes and non-ASCII text.</summary>
internal static class LinePointGenerator
{
    private static readonly string[] Pieces = ["a", "Z", "0", " ", ",", "=", "\"", "\\x", "磁体间", "é", "🧲", "\t", "#", "_", "-", "."];

    public static LinePoint Next(Random random, LinePrecision precision)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var n = random.Next(4); tags.Count < n;) tags[Name(random)] = Name(random);
        var fields = new Dictionary<string, LineFieldValue>(StringComparer.Ordinal);
        for (var n = 1 + random.Next(4); fields.Count < n;) fields[Name(random)] = Value(random);
        long? timestamp = random.Next(4) == 0 ? null : Timestamp(random, precision);
        return new LinePoint(Name(random), tags, fields, timestamp, precision);
    }

    /// <summary>A name that starts with a letter (so never '_' or '#') and never ends in a backslash.</summary>
    public static string Name(Random random)
    {
        var text = new StringBuilder("n");
        for (var n = random.Next(6); n > 0; n--) text.Append(Pieces[random.Next(Pieces.Length)]);
        return text.ToString();
    }

    public static LineFieldValue Value(Random random) => random.Next(6) switch
    {
        0 => LineFieldValue.Float(FiniteDouble(random)),
        1 => LineFieldValue.Float(Math.Round(random.NextDouble() * 1000, 3)),
        2 => LineFieldValue.Integer(random.NextInt64(long.MinValue, long.MaxValue)),
        3 => LineFieldValue.Unsigned(unchecked((ulong)random.NextInt64(long.MinValue, long.MaxValue))),
        4 => LineFieldValue.Boolean(random.Next(2) == 0),
        _ => LineFieldValue.String(string.Concat(Enumerable.Range(0, random.Next(5)).Select(_ => Pieces[random.Next(Pieces.Length)] + "\\"))),
    };

    private static double FiniteDouble(Random random)
    {
        while (true)
        {
            var value = BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue));
            if (double.IsFinite(value)) return value;
        }
    }

    private static long Timestamp(Random random, LinePrecision precision)
    {
        var per = LineTimestamp.NanosecondsPer(precision);
        return random.NextInt64(LineTimestamp.MinNanoseconds / per, LineTimestamp.MaxNanoseconds / per);
    }
}
