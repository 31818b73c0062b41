using System.Globalization;
using System.Text;

namespace EquipmentIoT.Protocols.LineProtocol;

/// <summary>
/// A position in one line being read, with the element readers. Each method returns false with a reason and sets
/// <see cref="ErrorOffset"/> (absolute, from the start of the input) instead of throwing.
/// </summary>
internal ref struct LineCursor(ReadOnlySpan<byte> line, int origin)
{
    private readonly ReadOnlySpan<byte> _line = line;
    private int _position;

    public readonly bool AtEnd => _position >= _line.Length;

    public readonly int Peek => AtEnd ? -1 : _line[_position];

    public readonly int Offset => origin + _position;

    public int ErrorOffset { get; private set; }

    public void Skip() => _position++;

    public bool Expect(byte expected, string reason, out string error)
    {
        if (Peek == expected)
        {
            _position++;
            error = string.Empty;
            return true;
        }

        return Refuse(AtEnd ? reason + " (line ends)" : reason, _position, out error);
    }

    /// <summary>Reads an escaped name (measurement, tag key or value, field key) up to its first unescaped delimiter.</summary>
    public bool Name(LineElement element, out string text, out string error)
    {
        var start = _position;
        var i = start;
        while (i < _line.Length)
        {
            var b = _line[i];
            if (b == (byte)'\\' && i + 1 < _line.Length && LineSyntax.IsSpecial(element, _line[i + 1]))
            {
                i += 2;
                continue;
            }

            // Every delimiter ends every kind of name, so a stray '=' or space is reported by the caller.
            if (b is (byte)',' or (byte)' ' || (b == (byte)'=' && element != LineElement.Measurement)) break;
            i++;
        }

        text = Unescape(_line[start..i], element);
        _position = i;
        if (LineSyntax.Validate(element, text) is { } reason) return Refuse(reason, start, out error);
        error = string.Empty;
        return true;
    }

    /// <summary>Reads a field value: a quoted string, or a float, integer (i), unsigned (u) or boolean.</summary>
    public bool FieldValue(out LineFieldValue value, out string error)
    {
        var start = _position;
        value = default;
        if (Peek == (byte)'"')
        {
            var i = start + 1;
            while (i < _line.Length && _line[i] != (byte)'"') i += _line[i] == (byte)'\\' ? 2 : 1;
            if (i >= _line.Length) return Refuse("unterminated string", start, out error);
            var text = Unescape(_line[(start + 1)..i], LineElement.StringValue);
            _position = i + 1;
            if (LineSyntax.Validate(LineElement.StringValue, text) is { } reason) return Refuse(reason, start, out error);
            value = LineFieldValue.String(text);
            error = string.Empty;
            return true;
        }

        var end = start;
        while (end < _line.Length && _line[end] is not ((byte)',' or (byte)' ')) end++;
        _position = end;
        var token = _line[start..end];
        if (LineScalars.TryParse(token, out value, out var problem))
        {
            error = string.Empty;
            return true;
        }

        return Refuse(problem, start, out error);
    }

    public bool Timestamp(LinePrecision precision, out long units, out string error)
    {
        var start = _position;
        var token = _line[start..];
        _position = _line.Length;
        if (!LineScalars.IsInteger(token, allowSign: true) || !long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out units))
        {
            units = 0;
            return Refuse($"timestamp \"{Encoding.UTF8.GetString(token)}\" is not a 64-bit integer", start, out error);
        }

        if (!LineTimestamp.IsInServerRange(units, precision)) return Refuse($"timestamp {units} is outside InfluxDB's range", start, out error);
        error = string.Empty;
        return true;
    }

    private bool Refuse(string reason, int position, out string error)
    {
        ErrorOffset = origin + position;
        error = reason;
        return false;
    }

    private static string Unescape(ReadOnlySpan<byte> raw, LineElement element)
    {
        if (raw.IndexOf((byte)'\\') < 0) return Encoding.UTF8.GetString(raw);
        var buffer = raw.Length <= 256 ? stackalloc byte[raw.Length] : new byte[raw.Length];
        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            // A backslash escapes only the element's special characters; otherwise it is literal.
            if (raw[i] == (byte)'\\' && i + 1 < raw.Length && LineSyntax.IsSpecial(element, raw[i + 1])) i++;
            buffer[n++] = raw[i];
        }

        return Encoding.UTF8.GetString(buffer[..n]);
    }
}
