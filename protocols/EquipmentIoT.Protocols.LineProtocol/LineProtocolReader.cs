using System.Text;
using System.Text.Unicode;

namespace EquipmentIoT.Protocols.LineProtocol;

/// <summary>
/// Reads line protocol back into points, for tests and round trips. Untrusted input never throws: every refusal
/// is a <see cref="LineReadResult{T}"/> naming the problem and its byte offset. The reader applies the same naming
/// rules as <see cref="LineProtocolWriter"/>, so whatever it accepts the writer writes back to the same line.
/// </summary>
/// <param name="precision">The precision of the request the lines came in (timestamps are in this unit).</param>
public sealed class LineProtocolReader(LinePrecision precision = LinePrecision.Nanoseconds)
{
    /// <summary>The unit given to every timestamp read.</summary>
    public LinePrecision Precision { get; } = precision;

    /// <summary>Reads a whole body: lines separated by <c>\n</c>; empty lines and <c>#</c> comments are skipped.</summary>
    /// <param name="text">UTF-8 line protocol.</param>
    /// <returns>The points, or the first problem with its offset in <paramref name="text"/>.</returns>
    public LineReadResult<IReadOnlyList<LinePoint>> ReadLines(ReadOnlySpan<byte> text)
    {
        var points = new List<LinePoint>();
        var start = 0;
        while (start < text.Length)
        {
            var length = text[start..].IndexOf((byte)'\n');
            var line = length < 0 ? text[start..] : text.Slice(start, length);

            // Reference, "Comments": a line starting with '#' is ignored, as are empty lines.
            if (!line.IsEmpty && line[0] != (byte)'#')
            {
                var result = Read(line, start);
                if (!result.Success) return LineReadResult<IReadOnlyList<LinePoint>>.Fail(result.Error, result.Offset);
                points.Add(result.Value);
            }

            if (length < 0) break;
            start += length + 1;
        }

        return LineReadResult<IReadOnlyList<LinePoint>>.Ok(points);
    }

    /// <summary>Reads one line (without its <c>\n</c>).</summary>
    /// <param name="line">UTF-8 line protocol for one point.</param>
    /// <returns>The point, or the problem with its offset in <paramref name="line"/>.</returns>
    public LineReadResult<LinePoint> ReadLine(ReadOnlySpan<byte> line) => Read(line, 0);

    /// <summary>
    /// Reads a series key, <c>measurement[,tag_key=tag_value...]</c> with the line's escapes, as InfluxDB's SHOW SERIES prints it.
    /// </summary>
    /// <param name="key">UTF-8 series key.</param>
    /// <returns>The measurement and tags, or the problem with its offset in <paramref name="key"/>.</returns>
    public static LineReadResult<LineSeriesKey> ReadSeriesKey(ReadOnlySpan<byte> key)
    {
        if (Check(key, 0) is { } problem) return LineReadResult<LineSeriesKey>.Fail(problem.Error, problem.Offset);
        var cursor = new LineCursor(key, 0);
        if (!SeriesKey(ref cursor, out var series, out var error, out var offset)) return LineReadResult<LineSeriesKey>.Fail(error, offset);
        return cursor.AtEnd ? LineReadResult<LineSeriesKey>.Ok(series) : LineReadResult<LineSeriesKey>.Fail("a series key has no field set", cursor.Offset);
    }

    private static (string Error, int Offset)? Check(ReadOnlySpan<byte> line, int origin)
    {
        if (Utf8.IsValid(line) is false) return ("invalid UTF-8", origin + FirstInvalidUtf8(line));
        if (line.IsEmpty) return ("empty line", origin);
        if (line[0] == (byte)'#') return ("comment line, not a point", origin);
        if (line.IndexOf((byte)'\n') is var newline and >= 0) return ("newline inside a line", origin + newline);
        return null;
    }

    // measurement[,tag_key=tag_value...]
    private static bool SeriesKey(ref LineCursor cursor, out LineSeriesKey series, out string error, out int offset)
    {
        series = null!;
        offset = 0;
        if (!cursor.Name(LineElement.Measurement, out var measurement, out error)) return Failed(ref cursor, out offset);
        var tags = new List<KeyValuePair<string, string>>();
        while (cursor.Peek == (byte)',')
        {
            cursor.Skip();
            if (!cursor.Name(LineElement.TagKey, out var key, out error)) return Failed(ref cursor, out offset);
            if (!cursor.Expect((byte)'=', "tag key without '='", out error)) return Failed(ref cursor, out offset);
            if (!cursor.Name(LineElement.TagValue, out var value, out error)) return Failed(ref cursor, out offset);
            (error, offset) = cursor.Peek == (byte)'=' ? ($"tag \"{key}\": unescaped '=' in tag value", cursor.Offset)
                : tags.Exists(t => t.Key == key) ? ($"tag key \"{key}\": appears twice", cursor.Offset)
                : (string.Empty, 0);
            if (error.Length > 0) return false;
            tags.Add(new(key, value));
        }

        series = new LineSeriesKey(measurement, tags);
        return true;

        static bool Failed(ref LineCursor cursor, out int offset)
        {
            offset = cursor.ErrorOffset;
            return false;
        }
    }

    private LineReadResult<LinePoint> Read(ReadOnlySpan<byte> line, int origin)
    {
        if (Check(line, origin) is { } problem) return Fail(problem.Error, problem.Offset);
        var cursor = new LineCursor(line, origin);
        if (!SeriesKey(ref cursor, out var series, out var error, out var offset)) return Fail(error, offset);
        var (measurement, tags) = (series.Measurement, series.Tags);

        // <space>field_key=field_value[,...]
        if (!cursor.Expect((byte)' ', "expected a space before the field set", out error)) return Fail(error, cursor.ErrorOffset);
        var fields = new List<KeyValuePair<string, LineFieldValue>>();
        do
        {
            if (fields.Count > 0) cursor.Skip();
            var keyOffset = cursor.Offset;
            if (!cursor.Name(LineElement.FieldKey, out var key, out error)) return Fail(error, cursor.ErrorOffset);
            if (!cursor.Expect((byte)'=', "field key without '='", out error)) return Fail(error, cursor.ErrorOffset);
            if (!cursor.FieldValue(out var value, out error)) return Fail($"field \"{key}\": {error}", cursor.ErrorOffset);
            if (fields.Exists(f => f.Key == key)) return Fail($"field key \"{key}\": appears twice", keyOffset);
            fields.Add(new(key, value));
        }
        while (cursor.Peek == (byte)',');

        // [<space>timestamp]
        long? timestamp = null;
        if (!cursor.AtEnd)
        {
            if (!cursor.Expect((byte)' ', "expected a space before the timestamp", out error)) return Fail(error, cursor.ErrorOffset);
            if (!cursor.Timestamp(Precision, out var units, out error)) return Fail(error, cursor.ErrorOffset);
            timestamp = units;
        }

        return LineReadResult<LinePoint>.Ok(new LinePoint(measurement, tags, fields, timestamp, Precision));
    }

    private static LineReadResult<LinePoint> Fail(string error, int offset) => LineReadResult<LinePoint>.Fail(error, offset);

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done) return offset;
            offset += consumed;
        }

        return offset;
    }
}
