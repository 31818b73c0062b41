using System.Buffers;

namespace EquipmentIoT.Protocols.Mqtt.Formatter;

/// <summary>
/// One whole control packet cut from the byte stream: its type and flags from the fixed header and
/// its body (variable header and payload). <see cref="Body"/> points into the reader's buffer and is
/// valid only until the reader advances.
/// </summary>
public readonly struct MqttFrame
{
    /// <summary>Creates a frame.</summary>
    public MqttFrame(MqttPacketType type, byte flags, int headerLength, ReadOnlySequence<byte> body)
    {
        Type = type;
        Flags = flags;
        HeaderLength = headerLength;
        Body = body;
    }

    /// <summary>Packet type, the high nibble of byte 1.</summary>
    public MqttPacketType Type { get; }

    /// <summary>Flags, the low nibble of byte 1.</summary>
    public byte Flags { get; }

    /// <summary>Length of the fixed header (2..5 bytes): body offsets in errors are counted after it.</summary>
    public int HeaderLength { get; }

    /// <summary>Variable header and payload.</summary>
    public ReadOnlySequence<byte> Body { get; }
}
