using System.Text;

namespace EquipmentIoT.Cloud.Storage.Influx;

/// <summary>
/// Makes any text a tag value InfluxDB keeps exactly. Line protocol escapes commas, equals signs and spaces (the
/// writer does that), but cannot carry a newline, an empty value, or a backslash at the end or before one of those
/// delimiters (1.x reads it as an escape). Those few are written as two-character sequences led by U+241B
/// (SYMBOL FOR ESCAPE, "␛"), which is itself doubled, so the encoding is reversible and ordinary values
/// (device ids, metric names, units such as "%" or "°C", Chinese text) stay as they are for Grafana.
/// </summary>
public static class InfluxTagText
{
    /// <summary>The escape character.</summary>
    public const char Escape = '\u241B';

    /// <summary>The tag value for <paramref name="text"/>.</summary>
    public static string Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) return $"{Escape}0";
        if (!NeedsEncoding(text)) return text;
        var builder = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case Escape: builder.Append(Escape).Append(Escape); break;
                case '\n': builder.Append(Escape).Append('n'); break;
                case '\r': builder.Append(Escape).Append('r'); break;
                case '\\' when i + 1 == text.Length || text[i + 1] is ',' or '=' or ' ' or '\\': builder.Append(Escape).Append('b'); break;
                default: builder.Append(c); break;
            }
        }
        return builder.ToString();
    }

    /// <summary>The text a tag value written by <see cref="Encode"/> stands for (other values are returned as they are).</summary>
    public static string Decode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains(Escape, StringComparison.Ordinal)) return value;
        if (value == $"{Escape}0") return string.Empty;
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c != Escape || i + 1 == value.Length)
            {
                builder.Append(c);
                continue;
            }
            builder.Append(value[++i] switch
            {
                'n' => '\n',
                'r' => '\r',
                'b' => '\\',
                var other => other,
            });
        }
        return builder.ToString();
    }

    private static bool NeedsEncoding(string text) =>
        text.AsSpan().IndexOfAny(['\n', '\r', '\\', Escape]) >= 0;
}
