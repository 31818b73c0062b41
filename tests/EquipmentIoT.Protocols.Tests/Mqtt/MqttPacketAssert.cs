using EquipmentIoT.Protocols.Mqtt.Packets;

namespace EquipmentIoT.Protocols.Tests.Mqtt;

/// <summary>Field-by-field equality for packets, which are plain classes without value equality.</summary>
internal static class MqttPacketAssert
{
    public static void Equal(MqttPacket expected, MqttPacket actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected.Type, actual.Type);
        switch (expected)
        {
            case MqttConnectPacket e:
                var c = (MqttConnectPacket)actual;
                Assert.Equal(e.ProtocolLevel, c.ProtocolLevel);
                Assert.Equal(e.ClientId, c.ClientId);
                Assert.Equal(e.CleanSession, c.CleanSession);
                Assert.Equal(e.KeepAliveSeconds, c.KeepAliveSeconds);
                Assert.Equal(e.WillTopic, c.WillTopic);
                Assert.Equal(e.WillMessage.ToArray(), c.WillMessage.ToArray());
                Assert.Equal(e.WillQualityOfService, c.WillQualityOfService);
                Assert.Equal(e.WillRetain, c.WillRetain);
                Assert.Equal(e.UserName, c.UserName);
                Assert.Equal(e.Password.HasValue, c.Password.HasValue);
                Assert.Equal(e.Password?.ToArray(), c.Password?.ToArray());
                break;
            case MqttConnAckPacket e:
                var a = (MqttConnAckPacket)actual;
                Assert.Equal(e.SessionPresent, a.SessionPresent);
                Assert.Equal(e.ReturnCode, a.ReturnCode);
                break;
            case MqttPublishPacket e:
                var p = (MqttPublishPacket)actual;
                Assert.Equal(e.Topic, p.Topic);
                Assert.Equal(e.QualityOfService, p.QualityOfService);
                Assert.Equal(e.Dup, p.Dup);
                Assert.Equal(e.Retain, p.Retain);
                Assert.Equal(e.PacketIdentifier, p.PacketIdentifier);
                Assert.True(e.Payload.Span.SequenceEqual(p.Payload.Span), "payloads differ");
                break;
            case MqttSubscribePacket e:
                var s = (MqttSubscribePacket)actual;
                Assert.Equal(e.PacketIdentifier, s.PacketIdentifier);
                Assert.Equal(e.Subscriptions, s.Subscriptions);
                break;
            case MqttSubAckPacket e:
                var sa = (MqttSubAckPacket)actual;
                Assert.Equal(e.PacketIdentifier, sa.PacketIdentifier);
                Assert.Equal(e.ReturnCodes, sa.ReturnCodes);
                break;
            case MqttUnsubscribePacket e:
                var u = (MqttUnsubscribePacket)actual;
                Assert.Equal(e.PacketIdentifier, u.PacketIdentifier);
                Assert.Equal(e.TopicFilters, u.TopicFilters);
                break;
            case MqttPacketWithIdentifier e:
                Assert.Equal(e.PacketIdentifier, ((MqttPacketWithIdentifier)actual).PacketIdentifier);
                break;
            default:
                // PINGREQ, PINGRESP, DISCONNECT carry no fields: the type is all there is.
                break;
        }
    }
}
