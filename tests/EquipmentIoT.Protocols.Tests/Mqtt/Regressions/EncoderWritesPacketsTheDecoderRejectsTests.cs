using System.Buffers;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Formatter;
using EquipmentIoT.Protocols.Mqtt.Packets;

namespace EquipmentIoT.Protocols.Tests.Mqtt.Regressions;

/// <summary>
/// What the encoder writes, our own decoder — and any broker — must accept. Each case below is a packet
/// the encoder writes today although the decoder rejects the bytes as malformed (the broker would drop
/// the connection, and a client that retries would be dropped again and again). The encoder should
/// refuse them with an <see cref="ArgumentException"/> before writing anything, as it already does for
/// PUBLISH QoS 1 with packet identifier 0.
/// </summary>
public class EncoderWritesPacketsTheDecoderRejectsTests
{
    public static TheoryData<string> Cases => new(
        "PUBLISH topic with '+'",
        "PUBLISH topic with '#'",
        "PUBLISH empty topic",
        "PUBLISH topic with U+0000",
        "PUBLISH DUP at QoS 0",
        "SUBSCRIBE packet identifier 0",
        "SUBSCRIBE requested QoS 3",
        "UNSUBSCRIBE packet identifier 0",
        "CONNECT will QoS 3",
        "CONNECT protocol level 5",
        "CONNACK return code 6",
        "SUBACK no return codes",
        "SUBACK return code 3",
        "PUBACK packet identifier 0");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encode_PacketTheDecoderWouldReject_ThrowsArgumentExceptionWritingNothing(string name)
    {
        var writer = new ArrayBufferWriter<byte>();

        var thrown = Record.Exception(() => Write(name, writer));

        var written = writer.WrittenSpan.ToArray();
        Assert.True(thrown is ArgumentException,
            $"{name}: the encoder wrote {Convert.ToHexString(written)}, which the decoder rejects with: {DecodeError(written)}");
        Assert.Empty(written);
    }

    // The writers are called the way the client calls them: PUBLISH through WritePublish, the rest
    // through Encode.
    private static void Write(string name, IBufferWriter<byte> writer)
    {
        const MqttQualityOfService q0 = MqttQualityOfService.AtMostOnce;
        switch (name)
        {
            case "PUBLISH topic with '+'": MqttPacketEncoder.WritePublish(writer, "a/+", default, q0, false, false, 0); break;
            case "PUBLISH topic with '#'": MqttPacketEncoder.WritePublish(writer, "a/#", default, q0, false, false, 0); break;
            case "PUBLISH empty topic": MqttPacketEncoder.WritePublish(writer, "", default, q0, false, false, 0); break;
            case "PUBLISH topic with U+0000": MqttPacketEncoder.WritePublish(writer, "a\0b", default, q0, false, false, 0); break;
            case "PUBLISH DUP at QoS 0": MqttPacketEncoder.WritePublish(writer, "a", default, q0, false, dup: true, 0); break;
            case "SUBSCRIBE packet identifier 0":
                MqttPacketEncoder.Encode(new MqttSubscribePacket { PacketIdentifier = 0, Subscriptions = [new("a", q0)] }, writer);
                break;
            case "SUBSCRIBE requested QoS 3":
                MqttPacketEncoder.Encode(new MqttSubscribePacket { PacketIdentifier = 1, Subscriptions = [new("a", (MqttQualityOfService)3)] }, writer);
                break;
            case "UNSUBSCRIBE packet identifier 0":
                MqttPacketEncoder.Encode(new MqttUnsubscribePacket { PacketIdentifier = 0, TopicFilters = ["a"] }, writer);
                break;
            case "CONNECT will QoS 3":
                MqttPacketEncoder.Encode(new MqttConnectPacket { ClientId = "c", WillTopic = "w", WillQualityOfService = (MqttQualityOfService)3 }, writer);
                break;
            case "CONNECT protocol level 5":
                MqttPacketEncoder.Encode(new MqttConnectPacket { ClientId = "c", ProtocolLevel = 5 }, writer);
                break;
            case "CONNACK return code 6":
                MqttPacketEncoder.Encode(new MqttConnAckPacket { ReturnCode = (MqttConnectReturnCode)6 }, writer);
                break;
            case "SUBACK no return codes":
                MqttPacketEncoder.Encode(new MqttSubAckPacket { PacketIdentifier = 1, ReturnCodes = [] }, writer);
                break;
            case "SUBACK return code 3":
                MqttPacketEncoder.Encode(new MqttSubAckPacket { PacketIdentifier = 1, ReturnCodes = [(MqttSubscribeReturnCode)3] }, writer);
                break;
            case "PUBACK packet identifier 0":
                MqttPacketEncoder.Encode(new MqttPubAckPacket { PacketIdentifier = 0 }, writer);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "no such case");
        }
    }

    private static string DecodeError(byte[] bytes)
    {
        try
        {
            MqttWire.DecodeAll(new ReadOnlySequence<byte>(bytes), out var leftOver);
            return leftOver == 0 ? "(nothing: it decodes)" : $"(nothing: {leftOver} bytes left over)";
        }
        catch (MqttProtocolException ex)
        {
            return ex.Message;
        }
    }
}
