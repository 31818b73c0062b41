using System.Buffers;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Formatter;
using EquipmentIoT.Protocols.Mqtt.Packets;

namespace EquipmentIoT.Protocols.Tests.Mqtt;

/// <summary>Bytes in and out of the codec for tests.</summary>
internal static class MqttWire
{
    /// <summary>Large enough for every test packet, including the 2 MiB remaining-length boundary ones.</summary>
    public const int LargeMaxPacketSize = 4 * 1024 * 1024;

    /// <summary>"30 05 00 03" style hex, spaces ignored.</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    public static byte[] Encode(MqttPacket packet)
    {
        var writer = new ArrayBufferWriter<byte>();
        var written = MqttPacketEncoder.Encode(packet, writer);
        Assert.Equal(writer.WrittenCount, written);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes exactly one packet that fills the whole buffer.</summary>
    public static MqttPacket DecodeSingle(byte[] bytes) => DecodeSingle(new ReadOnlySequence<byte>(bytes));

    public static MqttPacket DecodeSingle(ReadOnlySequence<byte> buffer)
    {
        Assert.True(MqttPacketDecoder.TryDecode(ref buffer, LargeMaxPacketSize, out var packet), "the packet should be complete");
        Assert.Equal(0, buffer.Length);
        return packet!;
    }

    /// <summary>Decodes every packet in the buffer, as a connection's read loop would.</summary>
    public static List<MqttPacket> DecodeAll(ReadOnlySequence<byte> buffer, out long leftOver, int maxPacketSize = LargeMaxPacketSize)
    {
        var packets = new List<MqttPacket>();
        while (MqttPacketDecoder.TryDecode(ref buffer, maxPacketSize, out var packet)) packets.Add(packet!);
        leftOver = buffer.Length;
        return packets;
    }

    /// <summary>Decodes malformed bytes and returns the one exception type the contract allows.</summary>
    public static MqttProtocolException DecodeFails(string hex, int maxPacketSize = LargeMaxPacketSize) =>
        Assert.Throws<MqttProtocolException>(() => DecodeAll(new ReadOnlySequence<byte>(Hex(hex)), out _, maxPacketSize));
}
