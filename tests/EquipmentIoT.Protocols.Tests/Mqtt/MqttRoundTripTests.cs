using System.Buffers;
using System.Text;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Formatter;
using EquipmentIoT.Protocols.Mqtt.Packets;
using EquipmentIoT.Testing.Fuzzing;
using static EquipmentIoT.Protocols.Tests.Mqtt.MqttWire;

namespace EquipmentIoT.Protocols.Tests.Mqtt;

/// <summary>Encode → decode gives back every field, for random packets and at the Remaining Length boundaries (2.2.3).</summary>
public class MqttRoundTripTests
{
    private const string ChineseTopic = "设备/温度"; // 4 × 3 bytes + '/' = 13 UTF-8 bytes

    [Fact]
    public void EncodeDecode_RandomPacketsFixedSeed_FieldsAndBytesEqual()
    {
        var random = new Random(1234);
        var generator = new MqttPacketGenerator(random);
        var seen = new HashSet<MqttPacketType>();
        for (var i = 0; i < 3000; i++)
        {
            var packet = generator.Next();
            seen.Add(packet.Type);
            var bytes = Encode(packet);

            var decoded = DecodeSingle(bytes);
            MqttPacketAssert.Equal(packet, decoded);
            Assert.Equal(ToHex(bytes), ToHex(Encode(decoded)));

            // The same bytes as a reader would get them from a socket, in pieces.
            MqttPacketAssert.Equal(packet, DecodeSingle(SegmentedSequence.Chop(bytes, random, 1 + random.Next(16))));
        }
        Assert.Equal(14, seen.Count);
    }

    [Fact]
    public void EncodeDecode_RandomPacketsBackToBack_DecodedInOrder()
    {
        var random = new Random(1234);
        var generator = new MqttPacketGenerator(random);
        var packets = Enumerable.Range(0, 200).Select(_ => generator.Next()).ToList();
        var stream = packets.SelectMany(Encode).ToArray();

        var decoded = DecodeAll(SegmentedSequence.Chop(stream, random, 7), out var leftOver);

        Assert.Equal(0, leftOver);
        Assert.Equal(packets.Count, decoded.Count);
        for (var i = 0; i < packets.Count; i++) MqttPacketAssert.Equal(packets[i], decoded[i]);
    }

    [Theory]
    // Table 2.4: the largest value of each field size and the smallest of the next.
    [InlineData(127, "7F")]
    [InlineData(128, "80 01")]
    [InlineData(16_383, "FF 7F")]
    [InlineData(16_384, "80 80 01")]
    [InlineData(2_097_151, "FF FF 7F")]
    [InlineData(2_097_152, "80 80 80 01")]
    public void Publish_BodyAtRemainingLengthBoundary_ChineseTopicRoundTrips(int bodyLength, string remainingLengthHex)
    {
        // Body = topic length prefix (2) + topic (13) + packet identifier (2) + payload.
        var payload = new byte[bodyLength - 2 - Encoding.UTF8.GetByteCount(ChineseTopic) - 2];
        new Random(1234).NextBytes(payload);
        var packet = new MqttPublishPacket
        {
            Topic = ChineseTopic,
            QualityOfService = MqttQualityOfService.AtLeastOnce,
            PacketIdentifier = 7,
            Payload = payload,
        };

        var bytes = Encode(packet);

        var lengthField = Hex(remainingLengthHex);
        Assert.Equal(1 + lengthField.Length + bodyLength, bytes.Length);
        Assert.Equal(ToHex(lengthField), ToHex(bytes.AsSpan(1, lengthField.Length)));
        MqttPacketAssert.Equal(packet, DecodeSingle(bytes));
        MqttPacketAssert.Equal(packet, DecodeSingle(SegmentedSequence.Chop(bytes, new Random(1234), 64 * 1024)));
    }

    [Theory]
    [InlineData(127, 1)]
    [InlineData(128, 2)]
    [InlineData(16_383, 2)]
    [InlineData(16_384, 3)]
    public void Connect_BodyAtRemainingLengthBoundary_RoundTrips(int bodyLength, int lengthFieldSize)
    {
        // Body = variable header (10) + client id (2 + 6) + will topic (2 + 6) + will message (2 + n).
        var willMessage = Encoding.UTF8.GetBytes(ChineseText(bodyLength - 28));
        var packet = new MqttConnectPacket
        {
            ClientId = "设备",
            WillTopic = "状态",
            WillMessage = willMessage,
            WillQualityOfService = MqttQualityOfService.ExactlyOnce,
            KeepAliveSeconds = 30,
        };

        var bytes = Encode(packet);

        Assert.Equal(1 + lengthFieldSize + bodyLength, bytes.Length);
        MqttPacketAssert.Equal(packet, DecodeSingle(bytes));
    }

    [Theory]
    [InlineData(127, 1)]
    [InlineData(128, 2)]
    [InlineData(16_383, 2)]
    [InlineData(16_384, 3)]
    public void Subscribe_BodyAtRemainingLengthBoundary_ChineseFiltersRoundTrip(int bodyLength, int lengthFieldSize)
    {
        // Body = packet identifier (2) + one or more (length prefix 2 + filter + QoS 1).
        var subscriptions = new List<MqttTopicSubscription>();
        var left = bodyLength - 2;
        while (left > 0)
        {
            var filterBytes = Math.Min(left - 3, 1000);
            if (left - 3 - filterBytes is > 0 and < 5) filterBytes -= 5; // leave room for one more "+/x" filter
            subscriptions.Add(new MqttTopicSubscription("+/" + ChineseText(filterBytes - 2), MqttQualityOfService.AtLeastOnce));
            left -= 3 + filterBytes;
        }
        var packet = new MqttSubscribePacket { PacketIdentifier = 9, Subscriptions = subscriptions };

        var bytes = Encode(packet);

        Assert.Equal(1 + lengthFieldSize + bodyLength, bytes.Length);
        MqttPacketAssert.Equal(packet, DecodeSingle(bytes));
    }

    [Fact]
    public void Publish_PayloadOfEveryByteValue_KeptExactly()
    {
        var payload = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var packet = new MqttPublishPacket { Topic = "t", Payload = payload };

        var decoded = (MqttPublishPacket)DecodeSingle(Encode(packet));

        Assert.Equal(payload, decoded.Payload.ToArray());
    }

    [Fact]
    public void WritePublish_ReturnsBytesWritten_EqualsEncode()
    {
        var writer = new ArrayBufferWriter<byte>();
        var n = MqttPacketEncoder.WritePublish(writer, "温度", "22.5"u8, MqttQualityOfService.ExactlyOnce, retain: true, dup: false, packetIdentifier: 3);

        Assert.Equal(writer.WrittenCount, n);
        var decoded = (MqttPublishPacket)DecodeSingle(writer.WrittenSpan.ToArray());
        Assert.Equal("温度", decoded.Topic);
        Assert.True(decoded.Retain);
        Assert.Equal("22.5"u8.ToArray(), decoded.Payload.ToArray());
    }

    /// <summary>Exactly <paramref name="utf8Bytes"/> bytes of UTF-8: Chinese characters, then ASCII to fill.</summary>
    private static string ChineseText(int utf8Bytes)
    {
        const string chars = "温度传感器设备状态报警";
        var sb = new StringBuilder();
        for (var i = 0; i < utf8Bytes / 3; i++) sb.Append(chars[i % chars.Length]);
        sb.Append('x', utf8Bytes % 3);
        return sb.ToString();
    }
}
