using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using EquipmentIoT.Protocols.LineProtocol;

namespace EquipmentIoT.Cloud.Storage.Influx;

/// <summary>
/// Encodes points into <c>/write</c> bodies of at most <c>maxPoints</c> points and about <c>maxBytes</c> bytes
/// (a body is cut before the point that would pass the byte limit, so one huge point still goes alone).
/// </summary>
public sealed class InfluxLineBodies
{
    private readonly LineProtocolWriter _writer = new(LinePrecision.Milliseconds);
    private readonly int _maxPoints;
    private readonly int _maxBytes;
    private readonly List<ReadOnlyMemory<byte>> _bodies = [];
    private ArrayBufferWriter<byte> _current;
    private int _points;

    public InfluxLineBodies(int maxPoints, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPoints);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        _maxPoints = maxPoints;
        _maxBytes = maxBytes;
        _current = new ArrayBufferWriter<byte>(Math.Min(maxBytes, 1 << 20));
    }

    /// <summary>Points added so far.</summary>
    public int Points { get; private set; }

    /// <summary>Appends a point (millisecond timestamp), or returns InfluxDB's reason for refusing it and appends nothing.</summary>
    public string? TryAdd(LinePoint point)
    {
        var before = _current.WrittenCount;
        var result = _writer.TryWrite(point, _current);
        if (!result.Success) return result.Error;
        Added(before);
        return null;
    }

    /// <summary>
    /// The fast path for the series store's own points: <paramref name="seriesKey"/> is the measurement and tags exactly as
    /// <see cref="TryAdd"/> would write them, followed by one space (see <see cref="SeriesKeyOf"/>); the fields are the
    /// schema's float <c>value</c>, integer <c>quality</c> and <c>batch</c>. <paramref name="value"/> must be finite.
    /// </summary>
    public void AddPoint(ReadOnlySpan<byte> seriesKey, string valueField, double value, string qualityField, int quality, string batchField,
        long batch, long timeMs)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "InfluxDB stores finite floats only");
        var before = _current.WrittenCount;
        var span = _current.GetSpan(seriesKey.Length + valueField.Length + qualityField.Length + batchField.Length + 96);
        seriesKey.CopyTo(span);
        var n = seriesKey.Length;
        n += Ascii(valueField, span[n..]);
        span[n++] = (byte)'=';
        if (!value.TryFormat(span[n..], out var written, "R", CultureInfo.InvariantCulture)) throw new InvalidOperationException("float does not fit");
        var exponent = span.Slice(n, written).IndexOf((byte)'E');
        if (exponent >= 0) span[n + exponent] = (byte)'e'; // as the line-protocol writer spells it
        n += written;
        span[n++] = (byte)',';
        n += Ascii(qualityField, span[n..]);
        span[n++] = (byte)'=';
        n += Integer(quality, span[n..]);
        span[n++] = (byte)',';
        n += Ascii(batchField, span[n..]);
        span[n++] = (byte)'=';
        n += Integer(batch, span[n..]);
        span[n++] = (byte)' ';
        Utf8Formatter.TryFormat(timeMs, span[n..], out written);
        n += written;
        span[n++] = (byte)'\n';
        _current.Advance(n);
        Added(before);
    }

    /// <summary>The measurement-and-tags part of <paramref name="point"/>'s line and the space after it, for <see cref="AddPoint"/>.</summary>
    public static byte[] SeriesKeyOf(LinePoint point, out string? error)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var result = new LineProtocolWriter(LinePrecision.Milliseconds).TryWrite(point, buffer);
        error = result.Success ? null : result.Error;
        if (!result.Success) return [];
        var line = buffer.WrittenSpan;
        // The first space not escaped by a backslash ends the series key (tag values never end in a backslash: InfluxTagText).
        for (var i = 1; i < line.Length; i++)
        {
            if (line[i] == (byte)' ' && line[i - 1] != (byte)'\\') return line[..(i + 1)].ToArray();
        }
        throw new InvalidOperationException("a line without fields");
    }

    private static int Ascii(string text, Span<byte> destination)
    {
        for (var i = 0; i < text.Length; i++) destination[i] = (byte)text[i];
        return text.Length;
    }

    private static int Integer(long value, Span<byte> destination)
    {
        Utf8Formatter.TryFormat(value, destination, out var written);
        destination[written] = (byte)'i';
        return written + 1;
    }

    private void Added(int before)
    {
        Points++;
        _points++;
        if (_points > 1 && _current.WrittenCount > _maxBytes)
        {
            // Move the point that overflowed into the next body.
            var line = _current.WrittenSpan[before..].ToArray();
            _bodies.Add(_current.WrittenMemory[..before].ToArray());
            _current.Clear();
            _current.Write(line);
            _points = 1;
        }
        if (_points >= _maxPoints) Cut();
    }

    /// <summary>The bodies, the last partial one included; the builder starts empty again.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Drain()
    {
        Cut();
        var bodies = _bodies.ToArray();
        _bodies.Clear();
        Points = 0;
        return bodies;
    }

    private void Cut()
    {
        if (_points == 0) return;
        _bodies.Add(_current.WrittenMemory.ToArray());
        _current.Clear();
        _points = 0;
    }
}
