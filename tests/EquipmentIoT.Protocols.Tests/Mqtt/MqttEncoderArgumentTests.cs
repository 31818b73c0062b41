using System.Buffers;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Formatter;
using EquipmentIoT.Protocols.Mqtt.Packets;

namespace EquipmentIoT.Protocols.Tests.Mqtt;

/// <summary>The encoder refuses, with an argument exception and before writing, what no peer may be sent.</summary>
public class MqttEncoderArgumentTests
{
    private readonly ArrayBufferWriter<byte> _writer = new();

    [Theory]
    [InlineData(MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttQualityOfService.ExactlyOnce)]
    public void WritePublish_QosAboveZeroWithPacketIdentifierZero_ThrowsArgumentException(MqttQualityOfService qos)
    {
        // 2.3.1-1.
        var ex = Assert.Throws<ArgumentException>(() =>
            MqttPacketEncoder.WritePublish(_writer, "a/b", "x"u8, qos, retain: false, dup: false, packetIdentifier: 0));

        Assert.Equal("packetIdentifier", ex.ParamName);
        Assert.Equal(0, _writer.WrittenCount);
    }

    [Theory]
    // Chosen by number: xunit's theory data serialisation would turn lone surrogates into U+FFFD.
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void WritePublish_TopicWithLoneSurrogate_ThrowsArgumentException(int which)
    {
        // 1.5.3-1: the string cannot be encoded as well-formed UTF-8.
        var topic = which switch
        {
            0 => "a/\uD800",      // lone high surrogate
            1 => "\uDC00",        // lone low surrogate
            _ => "a\uDC00\uD800b", // a pair in the wrong order
        };
        Assert.Throws<ArgumentException>(() =>
            MqttPacketEncoder.WritePublish(_writer, topic, default, MqttQualityOfService.AtMostOnce, false, false, 0));
        Assert.Equal(0, _writer.WrittenCount);
    }

    [Fact]
    public void WritePublish_QosThree_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            MqttPacketEncoder.WritePublish(_writer, "a", default, (MqttQualityOfService)3, false, false, 1));
    }

    [Fact]
    public void WritePublish_TopicLongerThan65535Utf8Bytes_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() =>
            MqttPacketEncoder.WritePublish(_writer, new string('温', 21_846), default, MqttQualityOfService.AtMostOnce, false, false, 0));
    }

    [Fact]
    public void WritePublish_NullTopic_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() =>
            MqttPacketEncoder.WritePublish(_writer, null!, default, MqttQualityOfService.AtMostOnce, false, false, 0));
    }

    [Fact]
    public void Encode_ConnectPasswordWithoutUserName_ThrowsArgumentException()
    {
        // 3.1.2-22.
        Assert.Throws<ArgumentException>(() =>
            MqttPacketEncoder.Encode(new MqttConnectPacket { ClientId = "c", Password = "p"u8.ToArray() }, _writer));
    }

    [Theory]
    [InlineData("w/+")]
    [InlineData("")]
    public void Encode_ConnectWillTopicNotATopicName_ThrowsArgumentException(string willTopic)
    {
        Assert.Throws<ArgumentException>(() =>
            MqttPacketEncoder.Encode(new MqttConnectPacket { ClientId = "c", WillTopic = willTopic }, _writer));
    }

    [Fact]
    public void Encode_ConnectWillMessageOver65535Bytes_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() =>
            MqttPacketEncoder.Encode(new MqttConnectPacket { ClientId = "c", WillTopic = "w", WillMessage = new byte[65_536] }, _writer));
    }

    [Fact]
    public void Encode_SubscribeWithoutFilters_ThrowsArgumentException()
    {
        // 3.8.3-3.
        Assert.Throws<ArgumentException>(() =>
            MqttPacketEncoder.Encode(new MqttSubscribePacket { PacketIdentifier = 1, Subscriptions = [] }, _writer));
    }

    [Theory]
    [InlineData("sport/#/x")]
    [InlineData("sport+")]
    [InlineData("$share/g")]
    public void Encode_SubscribeInvalidFilter_ThrowsArgumentException(string filter)
    {
        Assert.Throws<ArgumentException>(() => MqttPacketEncoder.Encode(
            new MqttSubscribePacket { PacketIdentifier = 1, Subscriptions = [new(filter, MqttQualityOfService.AtMostOnce)] }, _writer));
    }

    [Fact]
    public void Encode_UnsubscribeWithoutFilters_ThrowsArgumentException()
    {
        // 3.10.3-2.
        Assert.Throws<ArgumentException>(() =>
            MqttPacketEncoder.Encode(new MqttUnsubscribePacket { PacketIdentifier = 1, TopicFilters = [] }, _writer));
    }

    [Fact]
    public void Encode_NullPacket_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => MqttPacketEncoder.Encode(null!, _writer));
    }
}
