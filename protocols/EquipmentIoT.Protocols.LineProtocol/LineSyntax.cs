using System.Buffers;

namespace EquipmentIoT.Protocols.LineProtocol;

/// <summary>
/// The escaping and naming rules shared by writer and reader, so that whatever the reader accepts the writer can
/// write back. Sources: InfluxDB 1.x line protocol reference, "Special characters" and "Naming restrictions".
/// </summary>
internal static class LineSyntax
{
    /// <summary>Measurement: commas and spaces are escaped with a backslash.</summary>
    public static readonly SearchValues<char> MeasurementSpecials = SearchValues.Create(", ");

    /// <summary>Tag keys, tag values, field keys: commas, equals signs and spaces are escaped.</summary>
    public static readonly SearchValues<char> KeySpecials = SearchValues.Create(",= ");

    /// <summary>String field values: double quotes and backslashes are escaped.</summary>
    public static readonly SearchValues<char> StringSpecials = SearchValues.Create("\"\\");

    private static readonly SearchValues<char> Refused = SearchValues.Create("\n\r\\");

    public static SearchValues<char> SpecialsOf(LineElement element) => element switch
    {
        LineElement.Measurement => MeasurementSpecials,
        LineElement.StringValue => StringSpecials,
        _ => KeySpecials,
    };

    public static bool IsSpecial(LineElement element, byte b) => element switch
    {
        LineElement.Measurement => b is (byte)',' or (byte)' ',
        LineElement.StringValue => b is (byte)'"' or (byte)'\\',
        _ => b is (byte)',' or (byte)'=' or (byte)' ',
    };

    public static string Describe(LineElement element) => element switch
    {
        LineElement.Measurement => "measurement",
        LineElement.TagKey => "tag key",
        LineElement.TagValue => "tag value",
        LineElement.FieldKey => "field key",
        _ => "string field value",
    };

    /// <summary>Checks one piece of text for the element; null when it may be written, otherwise the reason.</summary>
    /// <param name="element">Which part of the line it is.</param>
    /// <param name="text">The unescaped text.</param>
    /// <returns>Null or the reason.</returns>
    public static string? Validate(LineElement element, string text)
    {
        if (text.Length == 0 && element != LineElement.StringValue)
        {
            // Reference, "Tag set": tag values cannot be empty; keys and measurements likewise.
            return $"{Describe(element)}: must not be empty";
        }

        // Reference, "Naming restrictions": names starting with '_' are reserved for InfluxDB's own use.
        if (element is LineElement.Measurement or LineElement.TagKey or LineElement.FieldKey && text[0] == '_')
        {
            return $"{Describe(element)} \"{text}\": must not start with '_' (reserved by InfluxDB)";
        }

        if (element == LineElement.Measurement && text[0] == '#')
        {
            // Reference, "Comments": a line starting with '#' is a comment, so the point would be lost.
            return $"{Describe(element)} \"{text}\": must not start with '#' (the line would be a comment)";
        }

        var span = text.AsSpan();
        for (var i = span.IndexOfAny(Refused); i >= 0 && i < span.Length; i = Next(span, i + 1))
        {
            if (CheckAt(element, span, i) is { } reason)
            {
                return $"{Describe(element)}: {reason} at index {i}";
            }
        }

        if (span.ContainsAnyInRange('\uD800', '\uDFFF') && IndexOfLoneSurrogate(span) is var lone and >= 0)
        {
            // UTF-8 cannot carry a lone surrogate; writing it would silently become U+FFFD.
            return $"{Describe(element)}: lone UTF-16 surrogate at index {lone}";
        }

        return null;
    }

    private static int Next(ReadOnlySpan<char> span, int from)
    {
        var i = span[from..].IndexOfAny(Refused);
        return i < 0 ? -1 : from + i;
    }

    private static string? CheckAt(LineElement element, ReadOnlySpan<char> span, int i)
    {
        var c = span[i];
        if (c is '\n' or '\r')
        {
            // Reference, "Line protocol syntax": newline separates points and is not supported inside values.
            return "newline not allowed";
        }

        if (c == '\\')
        {
            if (element == LineElement.StringValue) return null;

            // InfluxDB 1.x treats a backslash as escaping the byte after it; a literal backslash before a
            // delimiter or at the end cannot be written so that the server reads it back the same.
            var last = i + 1 == span.Length;
            if (last || SpecialsOf(element).Contains(span[i + 1]))
            {
                return last ? "backslash at the end cannot be written unambiguously" : "backslash before a delimiter cannot be written unambiguously";
            }

            return null;
        }

        return null;
    }

    /// <summary>Index of the first lone surrogate, or -1; UTF-8 cannot carry one.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The index or -1.</returns>
    public static int IndexOfLoneSurrogate(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                    continue;
                }

                return i;
            }

            if (char.IsLowSurrogate(c)) return i;
        }

        return -1;
    }
}
