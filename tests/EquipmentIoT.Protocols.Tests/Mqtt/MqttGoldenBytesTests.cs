using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Packets;
using static EquipmentIoT.Protocols.Tests.Mqtt.MqttWire;

namespace EquipmentIoT.Protocols.Tests.Mqtt;

/// <summary>
/// Wire bytes derived by hand from OASIS MQTT Version 3.1.1 (29 October 2014), checked both ways:
/// the encoder must write exactly these bytes and the decoder must read back exactly these fields.
/// Where the specification gives a non-normative example the bytes below reuse its values.
/// </summary>
public class MqttGoldenBytesTests
{
    private static void AssertGolden(MqttPacket packet, string hex)
    {
        Assert.Equal(ToHex(Hex(hex)), ToHex(Encode(packet)));
        MqttPacketAssert.Equal(packet, DecodeSingle(Hex(hex)));
    }

    [Fact]
    public void Connect_WillUserNamePassword_MatchesSpecVariableHeaderExample()
    {
        // 3.1.2.11 "Variable header non normative example", figure 3.6: protocol name "MQTT", level 4,
        // connect flags 1100 1110 (user name, password, will QoS 01, will, clean session), keep alive 10.
        // The payload follows 3.1.3: client id, will topic, will message, user name, password.
        AssertGolden(
            new MqttConnectPacket
            {
                ClientId = "dev1",
                CleanSession = true,
                KeepAliveSeconds = 10,
                WillTopic = "w/t",
                WillMessage = "bye"u8.ToArray(),
                WillQualityOfService = MqttQualityOfService.AtLeastOnce,
                WillRetain = false,
                UserName = "u",
                Password = "p"u8.ToArray(),
            },
            "10 20" +                  // CONNECT, Remaining Length 32
            "00 04 4D 51 54 54" +      // 00-05 Protocol Name "MQTT"
            "04" +                     // 06    Protocol Level 4
            "CE" +                     // 07    Connect Flags
            "00 0A" +                  // 08-09 Keep Alive 10
            "00 04 64 65 76 31" +      //       Client Identifier "dev1"
            "00 03 77 2F 74" +         //       Will Topic "w/t"
            "00 03 62 79 65" +         //       Will Message "bye"
            "00 01 75" +               //       User Name "u"
            "00 01 70");               //       Password "p"
    }

    [Fact]
    public void Connect_WillRetainQos2NoPassword_FlagsB4()
    {
        // 3.1.2.3 figure 3.4: bit 7 user name, 5 will retain, 4-3 will QoS 10, 2 will, 1 clean session = 1011 0100.
        AssertGolden(
            new MqttConnectPacket
            {
                ClientId = "c",
                CleanSession = false,
                KeepAliveSeconds = 0xFFFF,
                WillTopic = "a",
                WillMessage = Array.Empty<byte>(),
                WillQualityOfService = MqttQualityOfService.ExactlyOnce,
                WillRetain = true,
                UserName = "",
            },
            "10 14 00 04 4D 51 54 54 04 B4 FF FF 00 01 63 00 01 61 00 00 00 00");
    }

    [Fact]
    public void Connect_EmptyClientIdCleanSession_MinimalPacket()
    {
        // 3.1.3.1: a zero-byte client id is allowed with CleanSession 1 (3.1.3-7).
        AssertGolden(
            new MqttConnectPacket { ClientId = "", CleanSession = true, KeepAliveSeconds = 60 },
            "10 0C 00 04 4D 51 54 54 04 02 00 3C 00 00");
    }

    [Fact]
    public void Connect_ProtocolLevel3_WritesMqIsdpName()
    {
        // MQTT 3.1 (IBM, 2010) section 3.1: protocol name "MQIsdp", version 3; brokers still accept it.
        AssertGolden(
            new MqttConnectPacket { ProtocolLevel = 3, ClientId = "", CleanSession = true, KeepAliveSeconds = 60 },
            "10 0E 00 06 4D 51 49 73 64 70 03 02 00 3C 00 00");
    }

    [Theory]
    [InlineData(false, MqttConnectReturnCode.Accepted, "20 02 00 00")]
    [InlineData(true, MqttConnectReturnCode.Accepted, "20 02 01 00")]
    [InlineData(false, MqttConnectReturnCode.UnacceptableProtocolVersion, "20 02 00 01")]
    [InlineData(false, MqttConnectReturnCode.NotAuthorized, "20 02 00 05")]
    public void ConnAck_SessionPresentAndReturnCode_FourBytes(bool sessionPresent, MqttConnectReturnCode code, string hex)
    {
        // 3.2.1 figure 3.8 (20 02), 3.2.2 figure 3.9: acknowledge flags (bit 0 session present), return code (table 3.1).
        AssertGolden(new MqttConnAckPacket { SessionPresent = sessionPresent, ReturnCode = code }, hex);
    }

    [Theory]
    // 3.3.2.3 table 3.3 / figure 3.11 "Publish Packet variable header non normative example": topic
    // "a/b", packet identifier 10 (00 03 61 2F 62 00 0A); payload "hi". Byte 1 per 3.3.1 figure 3.10:
    // 0011 DUP QoS QoS RETAIN.
    [InlineData(MqttQualityOfService.AtMostOnce, false, false, "30 07 00 03 61 2F 62 68 69")]
    [InlineData(MqttQualityOfService.AtMostOnce, false, true, "31 07 00 03 61 2F 62 68 69")]
    [InlineData(MqttQualityOfService.AtLeastOnce, false, false, "32 09 00 03 61 2F 62 00 0A 68 69")]
    [InlineData(MqttQualityOfService.AtLeastOnce, true, false, "3A 09 00 03 61 2F 62 00 0A 68 69")]
    [InlineData(MqttQualityOfService.AtLeastOnce, true, true, "3B 09 00 03 61 2F 62 00 0A 68 69")]
    [InlineData(MqttQualityOfService.ExactlyOnce, false, false, "34 09 00 03 61 2F 62 00 0A 68 69")]
    [InlineData(MqttQualityOfService.ExactlyOnce, true, true, "3D 09 00 03 61 2F 62 00 0A 68 69")]
    public void Publish_QosDupRetain_SpecExampleBytes(MqttQualityOfService qos, bool dup, bool retain, string hex)
    {
        AssertGolden(
            new MqttPublishPacket
            {
                Topic = "a/b",
                QualityOfService = qos,
                Dup = dup,
                Retain = retain,
                PacketIdentifier = qos == MqttQualityOfService.AtMostOnce ? (ushort)0 : (ushort)10,
                Payload = "hi"u8.ToArray(),
            },
            hex);
    }

    [Fact]
    public void Publish_EmptyPayload_EndsAfterTopic()
    {
        // 3.3.3: a zero-length payload is valid.
        AssertGolden(new MqttPublishPacket { Topic = "a/b" }, "30 05 00 03 61 2F 62");
    }

    [Fact]
    public void Publish_SupplementaryCharacterTopic_FourByteUtf8()
    {
        // 1.5.3 figure 1.2 "UTF-8 encoded string non normative example": "A" U+2A6D4 is 00 05 41 F0 AA 9B 94.
        AssertGolden(new MqttPublishPacket { Topic = "A\U0002A6D4" }, "30 07 00 05 41 F0 AA 9B 94");
    }

    [Fact]
    public void Publish_ChineseTopic_ThreeByteUtf8()
    {
        // 温 U+6E29 = E6 B8 A9, 度 U+5EA6 = E5 BA A6.
        AssertGolden(
            new MqttPublishPacket { Topic = "温/度", QualityOfService = MqttQualityOfService.AtLeastOnce, PacketIdentifier = 0x1234, Payload = new byte[] { 0x00, 0xFF } },
            "32 0D 00 07 E6 B8 A9 2F E5 BA A6 12 34 00 FF");
    }

    [Fact]
    public void Publish_ByteOrderMarkInTopic_IsKeptNotStripped()
    {
        // 1.5.3-3: EF BB BF is U+FEFF wherever it appears and must not be skipped or stripped.
        AssertGolden(new MqttPublishPacket { Topic = "\uFEFFa" }, "30 06 00 04 EF BB BF 61");
    }

    [Fact]
    public void PubAck_PacketIdentifier_BigEndianAfterHeader4002()
    {
        // 3.4.1 figure 3.12 (40 02), 3.4.2 figure 3.13: packet identifier MSB, LSB.
        AssertGolden(new MqttPubAckPacket { PacketIdentifier = 10 }, "40 02 00 0A");
        AssertGolden(new MqttPubAckPacket { PacketIdentifier = 0xABCD }, "40 02 AB CD");
    }

    [Fact]
    public void PubRec_PacketIdentifier_BigEndianAfterHeader5002()
    {
        // 3.5.1 figure 3.14 (50 02), 3.5.2 figure 3.15.
        AssertGolden(new MqttPubRecPacket { PacketIdentifier = 10 }, "50 02 00 0A");
    }

    [Fact]
    public void PubRel_PacketIdentifier_FlagsAre0010()
    {
        // 3.6.1 figure 3.16: PUBREL's reserved flags are 0010 (62), 3.6.2 figure 3.17.
        AssertGolden(new MqttPubRelPacket { PacketIdentifier = 10 }, "62 02 00 0A");
    }

    [Fact]
    public void PubComp_PacketIdentifier_BigEndianAfterHeader7002()
    {
        // 3.7.1 figure 3.18 (70 02), 3.7.2 figure 3.19.
        AssertGolden(new MqttPubCompPacket { PacketIdentifier = 0xFFFF }, "70 02 FF FF");
    }

    [Fact]
    public void Subscribe_TwoFilters_SpecPayloadExample()
    {
        // 3.8.1 figure 3.20: flags 0010 (82). 3.8.2.1 figure 3.21: packet identifier 10.
        // 3.8.3.1 table 3.5 / figure 3.23: "a/b" QoS 1, "c/d" QoS 2.
        AssertGolden(
            new MqttSubscribePacket
            {
                PacketIdentifier = 10,
                Subscriptions = [new("a/b", MqttQualityOfService.AtLeastOnce), new("c/d", MqttQualityOfService.ExactlyOnce)],
            },
            "82 0E 00 0A 00 03 61 2F 62 01 00 03 63 2F 64 02");
    }

    [Fact]
    public void Subscribe_WildcardAndSharedFilters_EachWithItsQos()
    {
        // 4.7.1: '#' and '+' filters; $share/{group}/{filter} as mosquitto serves it.
        AssertGolden(
            new MqttSubscribePacket
            {
                PacketIdentifier = 1,
                Subscriptions =
                [
                    new("#", MqttQualityOfService.AtMostOnce),
                    new("s/+/t", MqttQualityOfService.AtLeastOnce),
                    new("$share/g/x", MqttQualityOfService.ExactlyOnce),
                ],
            },
            "82 1B 00 01 00 01 23 00 00 05 73 2F 2B 2F 74 01 00 0A 24 73 68 61 72 65 2F 67 2F 78 02");
    }

    [Fact]
    public void SubAck_GrantedAndFailure_SpecPayloadExample()
    {
        // 3.9.1 figure 3.24 (90), 3.9.2 packet identifier, 3.9.3.1 table 3.6 / figure 3.27: 00, 02, 80.
        AssertGolden(
            new MqttSubAckPacket
            {
                PacketIdentifier = 10,
                ReturnCodes = [MqttSubscribeReturnCode.GrantedQos0, MqttSubscribeReturnCode.GrantedQos2, MqttSubscribeReturnCode.Failure],
            },
            "90 05 00 0A 00 02 80");
    }

    [Fact]
    public void Unsubscribe_TwoFilters_SpecPayloadExample()
    {
        // 3.10.1 figure 3.28: flags 0010 (A2). 3.10.3.1 table 3.7 / figure 3.30: "a/b", "c/d".
        AssertGolden(
            new MqttUnsubscribePacket { PacketIdentifier = 10, TopicFilters = ["a/b", "c/d"] },
            "A2 0C 00 0A 00 03 61 2F 62 00 03 63 2F 64");
    }

    [Fact]
    public void UnsubAck_PacketIdentifier_BigEndianAfterHeaderB002()
    {
        // 3.11.1 figure 3.31 (B0 02), 3.11.2 figure 3.32.
        AssertGolden(new MqttUnsubAckPacket { PacketIdentifier = 10 }, "B0 02 00 0A");
    }

    [Fact]
    public void PingReq_NoFields_C000() => AssertGolden(MqttPingReqPacket.Instance, "C0 00"); // 3.12.1

    [Fact]
    public void PingResp_NoFields_D000() => AssertGolden(MqttPingRespPacket.Instance, "D0 00"); // 3.13.1

    [Fact]
    public void Disconnect_NoFields_E000() => AssertGolden(MqttDisconnectPacket.Instance, "E0 00"); // 3.14.1

    [Fact]
    public void Decode_AckPackets_ReturnTheirOwnTypes()
    {
        // The five identifier-only packets share a layout; the type nibble alone tells them apart (2.2.1).
        Assert.IsType<MqttPubAckPacket>(DecodeSingle(Hex("40 02 00 01")));
        Assert.IsType<MqttPubRecPacket>(DecodeSingle(Hex("50 02 00 01")));
        Assert.IsType<MqttPubRelPacket>(DecodeSingle(Hex("62 02 00 01")));
        Assert.IsType<MqttPubCompPacket>(DecodeSingle(Hex("70 02 00 01")));
        Assert.IsType<MqttUnsubAckPacket>(DecodeSingle(Hex("B0 02 00 01")));
    }
}
