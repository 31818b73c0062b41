using System.Buffers;
using System.Text;

namespace EquipmentIoT.Protocols.Mqtt.Formatter;

/// <summary>
/// Reads the fields of one packet body (section 1.5 data representations) and names the packet,
/// field and offset in every error. Offsets count from the first byte of the packet.
/// </summary>
internal ref struct MqttBodyReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private SequenceReader<byte> _reader;
    private readonly string _packet;
    private readonly int _headerLength;

    public MqttBodyReader(in MqttFrame frame)
    {
        _reader = new SequenceReader<byte>(frame.Body);
        _packet = MqttFrameReader.Name(frame.Type);
        _headerLength = frame.HeaderLength;
    }

    public readonly long Offset => _headerLength + _reader.Consumed;
    public readonly long Remaining => _reader.Remaining;
    public readonly string Packet => _packet;

    public byte ReadByte(string field)
    {
        if (!_reader.TryRead(out var b)) throw Fail(field, "the packet ends before this byte");
        return b;
    }

    public ushort ReadUInt16(string field)
    {
        if (!_reader.TryReadBigEndian(out short v)) throw Fail(field, "the packet ends before this two-byte integer");
        return unchecked((ushort)v);
    }

    public ushort ReadPacketIdentifier()
    {
        var id = ReadUInt16("Packet Identifier");
        if (id == 0) throw MqttProtocolException.Field(_packet, "Packet Identifier", Offset - 2, "must be non-zero (2.3.1-1)");
        return id;
    }

    /// <summary>A UTF-8 encoded string (1.5.3): well-formed, no U+0000.</summary>
    public string ReadString(string field)
    {
        var start = Offset;
        var length = ReadUInt16(field);
        if (length > _reader.Remaining)
            throw MqttProtocolException.Field(_packet, field, start, $"length {length} exceeds the {_reader.Remaining} bytes left");
        var bytes = _reader.UnreadSequence.Slice(0, length);
        string value;
        try
        {
            value = bytes.IsSingleSegment ? StrictUtf8.GetString(bytes.FirstSpan) : StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException ex)
        {
            throw new MqttProtocolException($"MQTT {_packet}: {field} at offset {start}: not well-formed UTF-8 (1.5.3-1)", ex);
        }
        if (value.Contains('\0', StringComparison.Ordinal))
            throw MqttProtocolException.Field(_packet, field, start, "contains U+0000 (1.5.3-2)");
        _reader.Advance(length);
        return value;
    }

    /// <summary>Binary data with a two-byte length prefix (will message, password).</summary>
    public byte[] ReadBinary(string field)
    {
        var start = Offset;
        var length = ReadUInt16(field);
        if (length > _reader.Remaining)
            throw MqttProtocolException.Field(_packet, field, start, $"length {length} exceeds the {_reader.Remaining} bytes left");
        var value = _reader.UnreadSequence.Slice(0, length).ToArray();
        _reader.Advance(length);
        return value;
    }

    public byte[] ReadRest()
    {
        var rest = _reader.UnreadSequence.ToArray();
        _reader.Advance(rest.Length);
        return rest;
    }

    public readonly void ExpectEnd()
    {
        if (_reader.Remaining != 0)
            throw MqttProtocolException.Field(_packet, "Remaining Length", 1, $"{_reader.Remaining} bytes left over after the last field");
    }

    public readonly MqttProtocolException Fail(string field, string problem) =>
        MqttProtocolException.Field(_packet, field, Offset, problem);
}
