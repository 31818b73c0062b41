using System.Buffers;
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
        return null;
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
