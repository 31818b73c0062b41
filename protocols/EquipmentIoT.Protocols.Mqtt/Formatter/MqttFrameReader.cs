using System.Buffers;

namespace EquipmentIoT.Protocols.Mqtt.Formatter;

/// <summary>
/// Cuts whole packets from a byte stream using the fixed header, MQTT 3.1.1 section 2.2. Pure and
/// synchronous: it reads what the caller buffered and never waits.
/// </summary>
public static class MqttFrameReader
{
    /// <summary>Largest value the four-byte Remaining Length can hold (2.2.3).</summary>
    public const int MaxRemainingLength = 268_435_455;

    /// <summary>
    /// Reads one frame if the buffer holds all of it. On success <paramref name="buffer"/> is advanced
    /// past the frame. The packet size is checked against <paramref name="maxPacketSize"/> from the
    /// fixed header alone, before waiting for (or allocating) the body.
    /// </summary>
    /// <exception cref="MqttProtocolException">Malformed fixed header, or the packet is too large.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxPacketSize, out MqttFrame frame)
    {
        frame = default;
        if (buffer.Length < 2) return false;

        // 00    byte 1: packet type (bits 7-4), flags (bits 3-0)
        // 01-04 Remaining Length: 1 to 4 bytes, 7 bits each, least significant first, bit 7 = more
        var reader = new SequenceReader<byte>(buffer);
        reader.TryRead(out var first);
        var type = (MqttPacketType)(first >> 4);
        var flags = (byte)(first & 0x0F);
        CheckFixedHeaderFlags(type, flags);

        var remaining = 0;
        var multiplier = 1;
        var headerLength = 1;
        while (true)
        {
            if (!reader.TryRead(out var b)) return false;
            headerLength++;
            remaining += (b & 0x7F) * multiplier;
            if ((b & 0x80) == 0) break;
            if (headerLength == 5)
                throw MqttProtocolException.Field(Name(type), "Remaining Length", 1, "more than four bytes (2.2.3)");
            multiplier *= 128;
        }

        var total = (long)headerLength + remaining;
        if (total > maxPacketSize)
            throw new MqttProtocolException(
                $"MQTT {Name(type)}: packet of {total} bytes exceeds the maximum packet size of {maxPacketSize} bytes");
        if (reader.Remaining < remaining) return false;

        var body = buffer.Slice(headerLength, remaining);
        frame = new MqttFrame(type, flags, headerLength, body);
        buffer = buffer.Slice(body.End);
        return true;
    }

    /// <summary>Packet name as the specification writes it, for messages.</summary>
    public static string Name(MqttPacketType type) => type switch
    {
        MqttPacketType.Connect => "CONNECT",
        MqttPacketType.ConnAck => "CONNACK",
        MqttPacketType.Publish => "PUBLISH",
        MqttPacketType.PubAck => "PUBACK",
        MqttPacketType.PubRec => "PUBREC",
        MqttPacketType.PubRel => "PUBREL",
        MqttPacketType.PubComp => "PUBCOMP",
        MqttPacketType.Subscribe => "SUBSCRIBE",
        MqttPacketType.SubAck => "SUBACK",
        MqttPacketType.Unsubscribe => "UNSUBSCRIBE",
        MqttPacketType.UnsubAck => "UNSUBACK",
        MqttPacketType.PingReq => "PINGREQ",
        MqttPacketType.PingResp => "PINGRESP",
        MqttPacketType.Disconnect => "DISCONNECT",
        _ => $"packet type {(byte)type}",
    };

    // 2.2.2, table 2.2: the only flag values each packet type may carry.
    private static void CheckFixedHeaderFlags(MqttPacketType type, byte flags)
    {
        switch (type)
        {
            case MqttPacketType.Publish:
                if ((flags & 0b0110) == 0b0110)
                    throw MqttProtocolException.Field("PUBLISH", "QoS", 0, "both QoS bits set (3.3.1-4)");
                break;
            case MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe:
                if (flags != 0b0010)
                    throw MqttProtocolException.Field(Name(type), "fixed header flags", 0, $"must be 0010, found {Convert.ToString(flags, 2).PadLeft(4, '0')} (2.2.2)");
                break;
            case >= MqttPacketType.Connect and <= MqttPacketType.Disconnect:
                if (flags != 0)
                    throw MqttProtocolException.Field(Name(type), "fixed header flags", 0, $"must be 0000, found {Convert.ToString(flags, 2).PadLeft(4, '0')} (2.2.2)");
                break;
            default:
                throw MqttProtocolException.Field(Name(type), "packet type", 0, "reserved (2.2.1)");
        }
    }
}
