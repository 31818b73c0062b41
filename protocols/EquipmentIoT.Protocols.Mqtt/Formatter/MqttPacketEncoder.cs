using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using EquipmentIoT.Protocols.Mqtt.Packets;
using EquipmentIoT.Protocols.Mqtt.Topics;

namespace EquipmentIoT.Protocols.Mqtt.Formatter;

/// <summary>
/// Encodes packets into an <see cref="IBufferWriter{T}"/>, MQTT 3.1.1 chapter 3. Pure and synchronous.
/// The PUBLISH and acknowledgement writers take their fields directly so that the client's publish
/// path allocates nothing.
/// </summary>
public static class MqttPacketEncoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Encodes any packet. Returns the number of bytes written.</summary>
    public static int Encode(MqttPacket packet, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(writer);
        return packet switch
        {
            MqttPublishPacket p => WritePublish(writer, p.Topic, p.Payload.Span, p.QualityOfService, p.Retain, p.Dup, p.PacketIdentifier),
            MqttPubAckPacket or MqttPubRecPacket or MqttPubRelPacket or MqttPubCompPacket or MqttUnsubAckPacket =>
                WriteIdentifierOnly(writer, packet.Type, ((MqttPacketWithIdentifier)packet).PacketIdentifier),
            MqttPingReqPacket or MqttPingRespPacket or MqttDisconnectPacket => WriteEmpty(writer, packet.Type),
            MqttConnectPacket c => WriteConnect(writer, c),
            MqttConnAckPacket a => WriteConnAck(writer, a),
            MqttSubscribePacket s => WriteSubscribe(writer, s),
            MqttSubAckPacket s => WriteSubAck(writer, s),
            MqttUnsubscribePacket u => WriteUnsubscribe(writer, u),
            _ => throw new ArgumentException($"unknown packet {packet.GetType().Name}", nameof(packet)),
        };
    }

    /// <summary>
    /// PUBLISH (3.3): fixed header with DUP/QoS/RETAIN, topic name, packet identifier (QoS 1 and 2),
    /// payload. Returns the number of bytes written.
    /// </summary>
    public static int WritePublish(IBufferWriter<byte> writer, string topic, ReadOnlySpan<byte> payload,
        MqttQualityOfService qos, bool retain, bool dup, ushort packetIdentifier)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (qos > MqttQualityOfService.ExactlyOnce) throw new ArgumentOutOfRangeException(nameof(qos));
        if (qos != MqttQualityOfService.AtMostOnce && packetIdentifier == 0)
            throw new ArgumentException("QoS 1 and 2 need a non-zero packet identifier (2.3.1-1)", nameof(packetIdentifier));
        if (qos == MqttQualityOfService.AtMostOnce && dup)
            throw new ArgumentException("DUP must be 0 for QoS 0 (3.3.1-2)", nameof(dup));
        var topicBytes = Utf8Length(topic, nameof(topic));
        if (MqttTopic.ValidateName(topic) is { } invalid) throw new ArgumentException($"'{topic}': {invalid}", nameof(topic));
        var remaining = (long)2 + topicBytes + (qos == MqttQualityOfService.AtMostOnce ? 0 : 2) + payload.Length;
        CheckRemaining(remaining);

        var headerSize = 1 + RemainingLengthSize((int)remaining) + 2 + topicBytes + (qos == 0 ? 0 : 2);
        var span = writer.GetSpan(headerSize);
        // 00 type 3 << 4 | DUP (bit 3) | QoS (bits 2-1) | RETAIN (bit 0)
        span[0] = (byte)(((int)MqttPacketType.Publish << 4) | (dup ? 0x08 : 0) | ((int)qos << 1) | (retain ? 1 : 0));
        var pos = 1 + WriteRemainingLength(span[1..], (int)remaining);
        pos += WriteStringBody(span[pos..], topic, topicBytes);
        if (qos != MqttQualityOfService.AtMostOnce)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span[pos..], packetIdentifier);
            pos += 2;
        }
        writer.Advance(pos);
        if (!payload.IsEmpty) writer.Write(payload);
        return pos + payload.Length;
    }

    /// <summary>PUBACK, PUBREC, PUBREL, PUBCOMP or UNSUBACK: fixed header and packet identifier only.</summary>
    public static int WriteIdentifierOnly(IBufferWriter<byte> writer, MqttPacketType type, ushort packetIdentifier)
    {
        ArgumentNullException.ThrowIfNull(writer);
        CheckPacketIdentifier(packetIdentifier);
        var span = writer.GetSpan(4);
        // 00 type << 4 | flags (0010 for PUBREL, 2.2.2), 01 Remaining Length = 2, 02-03 Packet Identifier
        span[0] = (byte)(((int)type << 4) | (type == MqttPacketType.PubRel ? 0x02 : 0));
        span[1] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], packetIdentifier);
        writer.Advance(4);
        return 4;
    }

    /// <summary>PINGREQ, PINGRESP or DISCONNECT: two bytes.</summary>
    public static int WriteEmpty(IBufferWriter<byte> writer, MqttPacketType type)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(2);
        span[0] = (byte)((int)type << 4);
        span[1] = 0;
        writer.Advance(2);
        return 2;
    }

    /// <summary>CONNECT (3.1).</summary>
    public static int WriteConnect(IBufferWriter<byte> writer, MqttConnectPacket packet)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(packet);
        if (packet.ProtocolLevel is not (3 or 4))
            throw new ArgumentException($"protocol level {packet.ProtocolLevel} is not MQTT 3.1.1 (4) or 3.1 (3)", nameof(packet));
        if (packet.WillQualityOfService > MqttQualityOfService.ExactlyOnce)
            throw new ArgumentException("will QoS must be 0, 1 or 2 (3.1.2-14)", nameof(packet));
        var v311 = packet.ProtocolLevel == 4;
        var protocolName = v311 ? "MQTT" : "MQIsdp";
        var hasWill = packet.WillTopic is not null;
        if (hasWill && MqttTopic.ValidateName(packet.WillTopic!) is { } why) throw new ArgumentException($"will topic: {why}", nameof(packet));
        if (packet.Password is not null && packet.UserName is null)
            throw new ArgumentException("a password needs a user name in MQTT 3.1.1 (3.1.2-22)", nameof(packet));

        long remaining = 2 + Utf8Length(protocolName, "protocol") + 1 + 1 + 2 + 2 + Utf8Length(packet.ClientId, nameof(packet.ClientId));
        if (hasWill) remaining += 2 + Utf8Length(packet.WillTopic!, nameof(packet.WillTopic)) + 2 + BinaryLength(packet.WillMessage.Length, "will message");
        if (packet.UserName is not null) remaining += 2 + Utf8Length(packet.UserName, nameof(packet.UserName));
        if (packet.Password is { } pw) remaining += 2 + BinaryLength(pw.Length, "password");
        CheckRemaining(remaining);

        var w = new SpanWriter(writer, 5 + (int)remaining);
        w.Byte((int)MqttPacketType.Connect << 4);
        w.RemainingLength((int)remaining);
        w.String(protocolName);
        w.Byte(packet.ProtocolLevel);
        var flags = (packet.CleanSession ? 0x02 : 0)
            | (hasWill ? 0x04 | ((int)packet.WillQualityOfService << 3) | (packet.WillRetain ? 0x20 : 0) : 0)
            | (packet.Password is not null ? 0x40 : 0)
            | (packet.UserName is not null ? 0x80 : 0);
        w.Byte(flags);
        w.UInt16(packet.KeepAliveSeconds);
        w.String(packet.ClientId);
        if (hasWill)
        {
            w.String(packet.WillTopic!);
            w.Binary(packet.WillMessage.Span);
        }
        if (packet.UserName is not null) w.String(packet.UserName);
        if (packet.Password is { } password) w.Binary(password.Span);
        return w.Commit();
    }

    /// <summary>CONNACK (3.2).</summary>
    public static int WriteConnAck(IBufferWriter<byte> writer, MqttConnAckPacket packet)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(packet);
        if ((byte)packet.ReturnCode > 5) throw new ArgumentException($"return code {(byte)packet.ReturnCode} is reserved (3.2.2.3)", nameof(packet));
        var w = new SpanWriter(writer, 4);
        w.Byte((int)MqttPacketType.ConnAck << 4);
        w.Byte(2);
        w.Byte(packet.SessionPresent ? 1 : 0);
        w.Byte((byte)packet.ReturnCode);
        return w.Commit();
    }

    /// <summary>SUBSCRIBE (3.8).</summary>
    public static int WriteSubscribe(IBufferWriter<byte> writer, MqttSubscribePacket packet)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(packet);
        if (packet.Subscriptions.Count == 0) throw new ArgumentException("SUBSCRIBE needs at least one topic filter (3.8.3-3)", nameof(packet));
        CheckPacketIdentifier(packet.PacketIdentifier);
        long remaining = 2;
        foreach (var s in packet.Subscriptions)
        {
            if (MqttTopic.ValidateFilter(s.TopicFilter) is { } why) throw new ArgumentException($"'{s.TopicFilter}': {why}", nameof(packet));
            if (s.QualityOfService > MqttQualityOfService.ExactlyOnce) throw new ArgumentException($"'{s.TopicFilter}': requested QoS must be 0, 1 or 2 (3.8.3-4)", nameof(packet));
            remaining += 2 + Utf8Length(s.TopicFilter, "topic filter") + 1;
        }
        CheckRemaining(remaining);
        var w = new SpanWriter(writer, 5 + (int)remaining);
        w.Byte(((int)MqttPacketType.Subscribe << 4) | 0x02);
        w.RemainingLength((int)remaining);
        w.UInt16(packet.PacketIdentifier);
        foreach (var s in packet.Subscriptions)
        {
            w.String(s.TopicFilter);
            w.Byte((byte)s.QualityOfService);
        }
        return w.Commit();
    }

    /// <summary>SUBACK (3.9).</summary>
    public static int WriteSubAck(IBufferWriter<byte> writer, MqttSubAckPacket packet)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(packet);
        CheckPacketIdentifier(packet.PacketIdentifier);
        if (packet.ReturnCodes.Count == 0) throw new ArgumentException("SUBACK needs at least one return code (3.9.3)", nameof(packet));
        foreach (var code in packet.ReturnCodes)
            if (code is not (MqttSubscribeReturnCode.GrantedQos0 or MqttSubscribeReturnCode.GrantedQos1 or MqttSubscribeReturnCode.GrantedQos2 or MqttSubscribeReturnCode.Failure))
                throw new ArgumentException($"SUBACK return code 0x{(byte)code:X2} is reserved (3.9.3-2)", nameof(packet));
        var remaining = 2 + packet.ReturnCodes.Count;
        CheckRemaining(remaining);
        var w = new SpanWriter(writer, 5 + remaining);
        w.Byte((int)MqttPacketType.SubAck << 4);
        w.RemainingLength(remaining);
        w.UInt16(packet.PacketIdentifier);
        foreach (var code in packet.ReturnCodes) w.Byte((byte)code);
        return w.Commit();
    }

    /// <summary>UNSUBSCRIBE (3.10).</summary>
    public static int WriteUnsubscribe(IBufferWriter<byte> writer, MqttUnsubscribePacket packet)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(packet);
        if (packet.TopicFilters.Count == 0) throw new ArgumentException("UNSUBSCRIBE needs at least one topic filter (3.10.3-2)", nameof(packet));
        CheckPacketIdentifier(packet.PacketIdentifier);
        long remaining = 2;
        foreach (var f in packet.TopicFilters)
        {
            if (MqttTopic.ValidateFilter(f) is { } why) throw new ArgumentException($"'{f}': {why}", nameof(packet));
            remaining += 2 + Utf8Length(f, "topic filter");
        }
        CheckRemaining(remaining);
        var w = new SpanWriter(writer, 5 + (int)remaining);
        w.Byte(((int)MqttPacketType.Unsubscribe << 4) | 0x02);
        w.RemainingLength((int)remaining);
        w.UInt16(packet.PacketIdentifier);
        foreach (var f in packet.TopicFilters) w.String(f);
        return w.Commit();
    }

    /// <summary>Bytes the Remaining Length field takes for a value (2.2.3).</summary>
    public static int RemainingLengthSize(int value) => value switch
    {
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };

    /// <summary>Writes the Remaining Length field; returns its size.</summary>
    public static int WriteRemainingLength(Span<byte> span, int value)
    {
        var i = 0;
        do
        {
            var b = (byte)(value % 128);
            value /= 128;
            if (value > 0) b |= 0x80;
            span[i++] = b;
        }
        while (value > 0);
        return i;
    }

    private static int Utf8Length(string s, string field)
    {
        ArgumentNullException.ThrowIfNull(s, field);
        int n;
        try
        {
            n = StrictUtf8.GetByteCount(s);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException($"{field} is not well-formed UTF-16 and cannot be encoded as UTF-8 (1.5.3-1)", field, ex);
        }
        if (n > ushort.MaxValue) throw new ArgumentException($"{field} is longer than 65535 UTF-8 bytes (1.5.3)", field);
        return n;
    }

    private static int BinaryLength(int length, string field) =>
        length <= ushort.MaxValue ? length : throw new ArgumentException($"{field} is longer than 65535 bytes (1.5.3)", field);

    private static void CheckPacketIdentifier(ushort packetIdentifier)
    {
        if (packetIdentifier == 0) throw new ArgumentException("the packet identifier must be non-zero (2.3.1-1)", nameof(packetIdentifier));
    }

    private static void CheckRemaining(long remaining)
    {
        if (remaining > MqttFrameReader.MaxRemainingLength)
            throw new ArgumentException($"packet body of {remaining} bytes exceeds MQTT's limit of {MqttFrameReader.MaxRemainingLength} (2.2.3)");
    }

    private static int WriteStringBody(Span<byte> span, string s, int byteCount)
    {
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)byteCount);
        StrictUtf8.GetBytes(s, span.Slice(2, byteCount));
        return 2 + byteCount;
    }

    /// <summary>Writes small packets into one span and advances once.</summary>
    private ref struct SpanWriter
    {
        private readonly IBufferWriter<byte> _writer;
        private readonly Span<byte> _span;
        private int _pos;

        public SpanWriter(IBufferWriter<byte> writer, int sizeHint)
        {
            _writer = writer;
            _span = writer.GetSpan(sizeHint);
            _pos = 0;
        }

        public void Byte(int b) => _span[_pos++] = (byte)b;

        public void UInt16(ushort v)
        {
            BinaryPrimitives.WriteUInt16BigEndian(_span[_pos..], v);
            _pos += 2;
        }

        public void RemainingLength(int v) => _pos += WriteRemainingLength(_span[_pos..], v);

        public void String(string s) => _pos += WriteStringBody(_span[_pos..], s, StrictUtf8.GetByteCount(s));

        public void Binary(ReadOnlySpan<byte> data)
        {
            UInt16((ushort)data.Length);
            data.CopyTo(_span[_pos..]);
            _pos += data.Length;
        }

        public int Commit()
        {
            _writer.Advance(_pos);
            return _pos;
        }
    }
}
