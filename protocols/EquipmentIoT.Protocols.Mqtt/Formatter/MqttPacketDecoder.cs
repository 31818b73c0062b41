using EquipmentIoT.Protocols.Mqtt.Packets;
using EquipmentIoT.Protocols.Mqtt.Topics;

namespace EquipmentIoT.Protocols.Mqtt.Formatter;

/// <summary>
/// Decodes a frame into a packet object, MQTT 3.1.1 chapter 3. Pure and synchronous; every rule
/// broken gives an <see cref="MqttProtocolException"/> naming packet, field and offset.
/// </summary>
public static class MqttPacketDecoder
{
    /// <summary>Reads one whole packet, if buffered, and decodes it.</summary>
    public static bool TryDecode(ref System.Buffers.ReadOnlySequence<byte> buffer, int maxPacketSize, out MqttPacket? packet)
    {
        packet = null;
        if (!MqttFrameReader.TryRead(ref buffer, maxPacketSize, out var frame)) return false;
        packet = Decode(frame);
        return true;
    }

    /// <summary>Decodes a frame cut by <see cref="MqttFrameReader"/>.</summary>
    public static MqttPacket Decode(in MqttFrame frame) => frame.Type switch
    {
        MqttPacketType.Connect => DecodeConnect(frame),
        MqttPacketType.ConnAck => DecodeConnAck(frame),
        MqttPacketType.Publish => DecodePublish(frame),
        MqttPacketType.PubAck => new MqttPubAckPacket { PacketIdentifier = DecodePacketIdentifier(frame) },
        MqttPacketType.PubRec => new MqttPubRecPacket { PacketIdentifier = DecodePacketIdentifier(frame) },
        MqttPacketType.PubRel => new MqttPubRelPacket { PacketIdentifier = DecodePacketIdentifier(frame) },
        MqttPacketType.PubComp => new MqttPubCompPacket { PacketIdentifier = DecodePacketIdentifier(frame) },
        MqttPacketType.Subscribe => DecodeSubscribe(frame),
        MqttPacketType.SubAck => DecodeSubAck(frame),
        MqttPacketType.Unsubscribe => DecodeUnsubscribe(frame),
        MqttPacketType.UnsubAck => new MqttUnsubAckPacket { PacketIdentifier = DecodePacketIdentifier(frame) },
        MqttPacketType.PingReq => Empty(frame, MqttPingReqPacket.Instance),
        MqttPacketType.PingResp => Empty(frame, MqttPingRespPacket.Instance),
        MqttPacketType.Disconnect => Empty(frame, MqttDisconnectPacket.Instance),
        _ => throw MqttProtocolException.Field(MqttFrameReader.Name(frame.Type), "packet type", 0, "reserved (2.2.1)"),
    };

    /// <summary>
    /// The packet identifier of PUBACK, PUBREC, PUBREL, PUBCOMP or UNSUBACK, whose Remaining Length
    /// must be exactly 2. Allocation-free: the client's acknowledgement path uses it directly.
    /// </summary>
    public static ushort DecodePacketIdentifier(in MqttFrame frame)
    {
        var reader = new MqttBodyReader(frame);
        var id = reader.ReadPacketIdentifier();
        reader.ExpectEnd();
        return id;
    }

    private static T Empty<T>(in MqttFrame frame, T packet) where T : MqttPacket
    {
        new MqttBodyReader(frame).ExpectEnd();
        return packet;
    }

    private static MqttConnectPacket DecodeConnect(in MqttFrame frame)
    {
        var r = new MqttBodyReader(frame);
        // Variable header (3.1.2): protocol name, level, connect flags, keep alive.
        var nameOffset = r.Offset;
        var protocolName = r.ReadString("Protocol Name");
        var level = r.ReadByte("Protocol Level");
        if (!(protocolName == "MQTT" && level == 4) && !(protocolName == "MQIsdp" && level == 3))
            throw MqttProtocolException.Field("CONNECT", "Protocol Name", nameOffset, $"'{protocolName}' level {level} is not MQTT 3.1.1 (3.1.2-1, 3.1.2-2)");
        var flagsOffset = r.Offset;
        var flags = r.ReadByte("Connect Flags");
        // bit 0 reserved, 1 clean session, 2 will, 3-4 will QoS, 5 will retain, 6 password, 7 user name
        if ((flags & 0x01) != 0) throw MqttProtocolException.Field("CONNECT", "Connect Flags", flagsOffset, "reserved bit 0 is set (3.1.2-3)");
        var will = (flags & 0x04) != 0;
        var willQos = (flags >> 3) & 0x03;
        var willRetain = (flags & 0x20) != 0;
        if (willQos == 3) throw MqttProtocolException.Field("CONNECT", "Will QoS", flagsOffset, "must not be 3 (3.1.2-14)");
        if (!will && (willQos != 0 || willRetain))
            throw MqttProtocolException.Field("CONNECT", "Will QoS/Retain", flagsOffset, "set without the Will Flag (3.1.2-13, 3.1.2-15)");
        var hasUser = (flags & 0x80) != 0;
        var hasPassword = (flags & 0x40) != 0;
        if (hasPassword && !hasUser)
            throw MqttProtocolException.Field("CONNECT", "Password Flag", flagsOffset, "set without the User Name Flag (3.1.2-22)");
        var keepAlive = r.ReadUInt16("Keep Alive");

        // Payload (3.1.3): client id, will topic, will message, user name, password, in that order.
        var clientId = r.ReadString("Client Identifier");
        string? willTopic = null;
        byte[] willMessage = [];
        if (will)
        {
            var topicOffset = r.Offset;
            willTopic = r.ReadString("Will Topic");
            if (MqttTopic.ValidateName(willTopic) is { } why) throw MqttProtocolException.Field("CONNECT", "Will Topic", topicOffset, why);
            willMessage = r.ReadBinary("Will Message");
        }
        var user = hasUser ? r.ReadString("User Name") : null;
        // Not `hasPassword ? r.ReadBinary(..) : null`: there the null converts to byte[] and, through
        // ReadOnlyMemory's implicit conversion, to an empty but non-null password.
        ReadOnlyMemory<byte>? password = null;
        if (hasPassword) password = r.ReadBinary("Password");
        r.ExpectEnd();
        return new MqttConnectPacket
        {
            ProtocolLevel = level,
            ClientId = clientId,
            CleanSession = (flags & 0x02) != 0,
            KeepAliveSeconds = keepAlive,
            WillTopic = willTopic,
            WillMessage = willMessage,
            WillQualityOfService = (MqttQualityOfService)willQos,
            WillRetain = willRetain,
            UserName = user,
            Password = password,
        };
    }

    private static MqttConnAckPacket DecodeConnAck(in MqttFrame frame)
    {
        var r = new MqttBodyReader(frame);
        // 00 Connect Acknowledge Flags (bit 0 = session present, 1-7 reserved), 01 Return Code
        var ackFlags = r.ReadByte("Connect Acknowledge Flags");
        if ((ackFlags & 0xFE) != 0) throw MqttProtocolException.Field("CONNACK", "Connect Acknowledge Flags", r.Offset - 1, "reserved bits set (3.2.2.1)");
        var code = r.ReadByte("Connect Return Code");
        if (code > 5) throw MqttProtocolException.Field("CONNACK", "Connect Return Code", r.Offset - 1, $"{code} is reserved (3.2.2.3)");
        r.ExpectEnd();
        return new MqttConnAckPacket { SessionPresent = (ackFlags & 1) != 0, ReturnCode = (MqttConnectReturnCode)code };
    }

    private static MqttPublishPacket DecodePublish(in MqttFrame frame)
    {
        var r = new MqttBodyReader(frame);
        var qos = (MqttQualityOfService)((frame.Flags >> 1) & 0x03);
        var dup = (frame.Flags & 0x08) != 0;
        if (qos == MqttQualityOfService.AtMostOnce && dup)
            throw MqttProtocolException.Field("PUBLISH", "DUP", 0, "must be 0 for QoS 0 (3.3.1-2)");
        var topicOffset = r.Offset;
        var topic = r.ReadString("Topic Name");
        if (MqttTopic.ValidateName(topic) is { } why) throw MqttProtocolException.Field("PUBLISH", "Topic Name", topicOffset, why);
        ushort id = 0;
        if (qos != MqttQualityOfService.AtMostOnce) id = r.ReadPacketIdentifier();
        return new MqttPublishPacket
        {
            Topic = topic,
            PacketIdentifier = id,
            QualityOfService = qos,
            Dup = dup,
            Retain = (frame.Flags & 0x01) != 0,
            Payload = r.ReadRest(),
        };
    }

    private static MqttSubscribePacket DecodeSubscribe(in MqttFrame frame)
    {
        var r = new MqttBodyReader(frame);
        var id = r.ReadPacketIdentifier();
        var list = new List<MqttTopicSubscription>();
        while (r.Remaining > 0)
        {
            var offset = r.Offset;
            var filter = r.ReadString("Topic Filter");
            if (MqttTopic.ValidateFilter(filter) is { } why) throw MqttProtocolException.Field("SUBSCRIBE", "Topic Filter", offset, why);
            var options = r.ReadByte("Requested QoS");
            if (options > 2) throw MqttProtocolException.Field("SUBSCRIBE", "Requested QoS", r.Offset - 1, $"0x{options:X2} is not 0, 1 or 2 (3.8.3-4)");
            list.Add(new MqttTopicSubscription(filter, (MqttQualityOfService)options));
        }
        if (list.Count == 0) throw r.Fail("Topic Filter", "at least one topic filter is required (3.8.3-3)");
        return new MqttSubscribePacket { PacketIdentifier = id, Subscriptions = list };
    }

    private static MqttSubAckPacket DecodeSubAck(in MqttFrame frame)
    {
        var r = new MqttBodyReader(frame);
        var id = r.ReadPacketIdentifier();
        var codes = new List<MqttSubscribeReturnCode>();
        while (r.Remaining > 0)
        {
            var code = r.ReadByte("Return Code");
            if (code is not (0 or 1 or 2 or 0x80))
                throw MqttProtocolException.Field("SUBACK", "Return Code", r.Offset - 1, $"0x{code:X2} is reserved (3.9.3-2)");
            codes.Add((MqttSubscribeReturnCode)code);
        }
        if (codes.Count == 0) throw r.Fail("Return Code", "at least one return code is required (3.9.3)");
        return new MqttSubAckPacket { PacketIdentifier = id, ReturnCodes = codes };
    }

    private static MqttUnsubscribePacket DecodeUnsubscribe(in MqttFrame frame)
    {
        var r = new MqttBodyReader(frame);
        var id = r.ReadPacketIdentifier();
        var filters = new List<string>();
        while (r.Remaining > 0)
        {
            var offset = r.Offset;
            var filter = r.ReadString("Topic Filter");
            if (MqttTopic.ValidateFilter(filter) is { } why) throw MqttProtocolException.Field("UNSUBSCRIBE", "Topic Filter", offset, why);
            filters.Add(filter);
        }
        if (filters.Count == 0) throw r.Fail("Topic Filter", "at least one topic filter is required (3.10.3-2)");
        return new MqttUnsubscribePacket { PacketIdentifier = id, TopicFilters = filters };
    }
}
