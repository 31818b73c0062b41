using System.Buffers;
using System.Globalization;
using System.Text;

namespace EquipmentIoT.Protocols.LineProtocol;

/// <summary>
/// Appends points as InfluxDB 1.x line protocol (UTF-8, one line per point, each ended by <c>\n</c>) to an
/// <see cref="IBufferWriter{T}"/>. A point is validated whole before any byte is appended, so a refused point
/// leaves the output untouched. Allocates nothing per point on success.
/// </summary>
/// <param name="precision">The precision of the <c>/write</c> request the lines are for; timestamped points must match it.</param>
public sealed class LineProtocolWriter(LinePrecision precision = LinePrecision.Nanoseconds)
{
    // Longest formatted number: a float in "R" form is at most 24 chars, a long 20, plus a suffix.
    private const int NumberSpace = 32;

    /// <summary>The precision every timestamped point must carry (the request's <c>precision</c> parameter).</summary>
    public LinePrecision Precision { get; } = precision;

    /// <summary>Validates a point without writing it.</summary>
    /// <param name="point">The point.</param>
    /// <returns>Null when the point may be written, otherwise the reason.</returns>
    public string? Validate(LinePoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (LineSyntax.Validate(LineElement.Measurement, point.Measurement) is { } measurementError) return measurementError;

        for (var i = 0; i < point.Tags.Count; i++)
        {
            var (key, value) = point.Tags[i];
            if (LineSyntax.Validate(LineElement.TagKey, key) is { } keyError) return keyError;
            if (LineSyntax.Validate(LineElement.TagValue, value) is { } valueError) return $"tag \"{key}\": {valueError}";
            if (i > 0 && point.Tags[i - 1].Key == key) return $"tag key \"{key}\": appears twice";
        }

        if (point.Fields.Count == 0) return "field set: a point needs at least one field";
        for (var i = 0; i < point.Fields.Count; i++)
        {
            if (ValidateField(point.Fields, i) is { } fieldError) return fieldError;
        }

        if (point.Timestamp is { } timestamp)
        {
            if (point.Precision != Precision) return $"timestamp: point is in {point.Precision} but the request precision is {Precision}";
            if (!LineTimestamp.IsInServerRange(timestamp, Precision)) return $"timestamp {timestamp}: outside InfluxDB's range 1677-09-21..2262-04-11";
        }

        return null;
    }

    /// <summary>Appends one point as a line ended by <c>\n</c>, or refuses it with a reason and appends nothing.</summary>
    /// <param name="point">The point.</param>
    /// <param name="output">Where the bytes go.</param>
    /// <returns>The bytes appended or the reason for refusal.</returns>
    public LineWriteResult TryWrite(LinePoint point, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Validate(point) is { } error) return LineWriteResult.Fail(error);

        // Layout: measurement[,tag_key=tag_value...]<space>field_key=field_value[,...][<space>timestamp]\n
        var written = WriteEscaped(output, point.Measurement, LineSyntax.MeasurementSpecials);
        // Index loops, not foreach: enumerating through IReadOnlyList would allocate an enumerator per point.
        for (var i = 0; i < point.Tags.Count; i++)
        {
            var (key, value) = point.Tags[i];
            written += WriteByte(output, (byte)',');
            written += WriteEscaped(output, key, LineSyntax.KeySpecials);
            written += WriteByte(output, (byte)'=');
            written += WriteEscaped(output, value, LineSyntax.KeySpecials);
        }

        for (var i = 0; i < point.Fields.Count; i++)
        {
            var (key, value) = point.Fields[i];
            written += WriteByte(output, i == 0 ? (byte)' ' : (byte)',');
            written += WriteEscaped(output, key, LineSyntax.KeySpecials);
            written += WriteByte(output, (byte)'=');
            written += WriteValue(output, value);
        }

        if (point.Timestamp is { } timestamp)
        {
            written += WriteByte(output, (byte)' ');
            var span = output.GetSpan(NumberSpace);
            timestamp.TryFormat(span, out var n, default, CultureInfo.InvariantCulture);
            output.Advance(n);
            written += n;
        }

        written += WriteByte(output, (byte)'\n');
        return LineWriteResult.Ok(written);
    }

    private static string? ValidateField(IReadOnlyList<KeyValuePair<string, LineFieldValue>> fields, int index)
    {
        var (key, value) = fields[index];
        if (LineSyntax.Validate(LineElement.FieldKey, key) is { } keyError) return keyError;
        for (var j = 0; j < index; j++)
        {
            if (fields[j].Key == key) return $"field key \"{key}\": appears twice";
        }

        return value.Kind switch
        {
            // Reference, "Data types": floats are IEEE-754 64-bit; InfluxDB has no NaN or infinity.
            LineFieldKind.Float when !double.IsFinite(value.FloatValue) => $"field \"{key}\": {value.FloatValue} is not a finite float",
            LineFieldKind.String when LineSyntax.Validate(LineElement.StringValue, value.StringValue) is { } stringError => $"field \"{key}\": {stringError}",
            _ => null,
        };
    }

    private static int WriteByte(IBufferWriter<byte> output, byte b)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
        return 1;
    }

    private static int WriteValue(IBufferWriter<byte> output, LineFieldValue value)
    {
        if (value.Kind == LineFieldKind.String)
        {
            var quoted = WriteByte(output, (byte)'"');
            quoted += WriteEscaped(output, value.StringValue, LineSyntax.StringSpecials);
            return quoted + WriteByte(output, (byte)'"');
        }

        var span = output.GetSpan(NumberSpace);
        int n;
        switch (value.Kind)
        {
            case LineFieldKind.Float:
                value.FloatValue.TryFormat(span, out n, "R", CultureInfo.InvariantCulture);
                // "1E+16" becomes "1e+16": both parse, lower case matches the reference's examples.
                span[..n].Replace((byte)'E', (byte)'e');
                break;
            case LineFieldKind.Integer:
                value.IntegerValue.TryFormat(span, out n, default, CultureInfo.InvariantCulture);
                span[n++] = (byte)'i';
                break;
            case LineFieldKind.UnsignedInteger:
                value.UnsignedValue.TryFormat(span, out n, default, CultureInfo.InvariantCulture);
                span[n++] = (byte)'u';
                break;
            default:
                n = Encoding.UTF8.GetBytes(value.BooleanValue ? "true" : "false", span);
                break;
        }

        output.Advance(n);
        return n;
    }

    private static int WriteEscaped(IBufferWriter<byte> output, string text, SearchValues<char> specials)
    {
        // Worst case per char: 3 UTF-8 bytes, or 2 for an escaped ASCII delimiter.
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        var rest = text.AsSpan();
        var written = 0;
        while (true)
        {
            var i = rest.IndexOfAny(specials);
            var run = i < 0 ? rest : rest[..i];
            written += Encoding.UTF8.GetBytes(run, span[written..]);
            if (i < 0) break;
            span[written++] = (byte)'\\';
            span[written++] = (byte)rest[i];
            rest = rest[(i + 1)..];
        }

        output.Advance(written);
        return written;
    }
}
