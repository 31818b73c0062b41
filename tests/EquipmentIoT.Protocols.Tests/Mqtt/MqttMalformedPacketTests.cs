using System.Buffers;
using System.Globalization;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Formatter;
using static EquipmentIoT.Protocols.Tests.Mqtt.MqttWire;

namespace EquipmentIoT.Protocols.Tests.Mqtt;

/// <summary>
/// Every rule the decoder enforces, broken once. The contract: one exception type,
/// <c>MqttProtocolException</c>, whose message names the packet, the field and the byte offset
/// (counted from the packet's first byte; fixed-header problems are at 0, Remaining Length at 1).
/// </summary>
public class MqttMalformedPacketTests
{
    private const int AnyOffset = -1;

    // The CONNECT variable header up to the flags byte: protocol name "MQTT", level 4.
    private const string Mqtt4 = "00 04 4D 51 54 54 04";

    [Theory]
    // 2.2.2 table 2.2: reserved flag bits must hold the listed values (2.2.2-1).
    [InlineData("80 08 00 0A 00 03 61 2F 62 01", "SUBSCRIBE", "fixed header flags", 0)]
    [InlineData("8A 08 00 0A 00 03 61 2F 62 01", "SUBSCRIBE", "fixed header flags", 0)]
    [InlineData("60 02 00 0A", "PUBREL", "fixed header flags", 0)]
    [InlineData("63 02 00 0A", "PUBREL", "fixed header flags", 0)]
    [InlineData("A0 07 00 0A 00 03 61 2F 62", "UNSUBSCRIBE", "fixed header flags", 0)]
    [InlineData("12 0C " + Mqtt4 + " 02 00 3C 00 00", "CONNECT", "fixed header flags", 0)]
    [InlineData("28 02 00 00", "CONNACK", "fixed header flags", 0)]
    [InlineData("41 02 00 0A", "PUBACK", "fixed header flags", 0)]
    [InlineData("52 02 00 0A", "PUBREC", "fixed header flags", 0)]
    [InlineData("74 02 00 0A", "PUBCOMP", "fixed header flags", 0)]
    [InlineData("91 03 00 0A 00", "SUBACK", "fixed header flags", 0)]
    [InlineData("B2 02 00 0A", "UNSUBACK", "fixed header flags", 0)]
    [InlineData("C1 00", "PINGREQ", "fixed header flags", 0)]
    [InlineData("D4 00", "PINGRESP", "fixed header flags", 0)]
    [InlineData("E8 00", "DISCONNECT", "fixed header flags", 0)]
    // 2.2.1 table 2.1: types 0 and 15 are reserved ("forbidden").
    [InlineData("00 00", "packet type 0", "packet type", 0)]
    [InlineData("0F 00", "packet type 0", "packet type", 0)]
    [InlineData("F0 00", "packet type 15", "packet type", 0)]
    [InlineData("F2 02 00 0A", "packet type 15", "packet type", 0)]
    public void Decode_FixedHeaderRule_Throws(string hex, string packet, string field, int offset) =>
        AssertNames(hex, packet, field, offset);

    [Theory]
    // 3.3.1-4: QoS 3 is malformed.
    [InlineData("36 07 00 03 61 2F 62 00 0A", "PUBLISH", "QoS", 0)]
    [InlineData("3F 07 00 03 61 2F 62 00 0A", "PUBLISH", "QoS", 0)]
    // 3.3.1-2: DUP must be 0 for QoS 0.
    [InlineData("38 05 00 03 61 2F 62", "PUBLISH", "DUP", 0)]
    [InlineData("39 05 00 03 61 2F 62", "PUBLISH", "DUP", 0)]
    // 2.3.1-1: PUBLISH (QoS > 0), SUBSCRIBE, UNSUBSCRIBE need a non-zero identifier, and so do their acks.
    [InlineData("32 07 00 03 61 2F 62 00 00", "PUBLISH", "Packet Identifier", 7)]
    [InlineData("34 07 00 03 61 2F 62 00 00", "PUBLISH", "Packet Identifier", 7)]
    [InlineData("40 02 00 00", "PUBACK", "Packet Identifier", 2)]
    [InlineData("50 02 00 00", "PUBREC", "Packet Identifier", 2)]
    [InlineData("62 02 00 00", "PUBREL", "Packet Identifier", 2)]
    [InlineData("70 02 00 00", "PUBCOMP", "Packet Identifier", 2)]
    [InlineData("82 08 00 00 00 03 61 2F 62 01", "SUBSCRIBE", "Packet Identifier", 2)]
    [InlineData("90 03 00 00 00", "SUBACK", "Packet Identifier", 2)]
    [InlineData("A2 07 00 00 00 03 61 2F 62", "UNSUBSCRIBE", "Packet Identifier", 2)]
    [InlineData("B0 02 00 00", "UNSUBACK", "Packet Identifier", 2)]
    // A field cut off by the Remaining Length.
    [InlineData("40 01 0A", "PUBACK", "Packet Identifier", 2)]
    [InlineData("40 00", "PUBACK", "Packet Identifier", 2)]
    [InlineData("32 05 00 03 61 2F 62", "PUBLISH", "Packet Identifier", 7)]
    [InlineData("30 01 00", "PUBLISH", "Topic Name", 2)]
    [InlineData("30 00", "PUBLISH", "Topic Name", 2)]
    public void Decode_PublishAndIdentifierRule_Throws(string hex, string packet, string field, int offset) =>
        AssertNames(hex, packet, field, offset);

    [Theory]
    // 1.5.3: a string's length prefix must not run past the packet.
    [InlineData("30 05 00 09 61 2F 62", "PUBLISH", "Topic Name", 2)]
    [InlineData("30 04 00 FF 61 2F", "PUBLISH", "Topic Name", 2)]
    [InlineData("10 04 00 09 4D 51", "CONNECT", "Protocol Name", 2)]
    [InlineData("10 0E " + Mqtt4 + " 02 00 3C 00 05 61 62", "CONNECT", "Client Identifier", 12)]
    [InlineData("10 12 " + Mqtt4 + " 06 00 3C 00 00 00 01 61 00 05 62", "CONNECT", "Will Message", 17)]
    [InlineData("10 12 " + Mqtt4 + " C2 00 3C 00 00 00 01 75 00 03 70", "CONNECT", "Password", 17)]
    [InlineData("82 06 00 0A 00 05 61 2F", "SUBSCRIBE", "Topic Filter", 4)]
    [InlineData("A2 06 00 0A 00 05 61 2F", "UNSUBSCRIBE", "Topic Filter", 4)]
    public void Decode_LengthPrefixBeyondPacket_Throws(string hex, string packet, string field, int offset) =>
        AssertNames(hex, packet, field, offset, "exceeds");

    [Theory]
    // 1.5.3-1: well-formed UTF-8 only (RFC 3629): no stray continuation bytes, no overlong forms,
    // no surrogates U+D800..U+DFFF (also not as CESU-8 pairs), nothing above U+10FFFF.
    [InlineData("30 04 00 02 C3 28", "PUBLISH", "Topic Name", 2)]                 // lead byte, no continuation
    [InlineData("30 04 00 02 C0 AF", "PUBLISH", "Topic Name", 2)]                 // overlong '/'
    [InlineData("30 05 00 03 E0 80 AF", "PUBLISH", "Topic Name", 2)]              // overlong '/', 3 bytes
    [InlineData("30 04 00 02 C0 80", "PUBLISH", "Topic Name", 2)]                 // overlong U+0000 ("modified UTF-8")
    [InlineData("30 05 00 03 ED A0 80", "PUBLISH", "Topic Name", 2)]              // U+D800
    [InlineData("30 05 00 03 ED BF BF", "PUBLISH", "Topic Name", 2)]              // U+DFFF
    [InlineData("30 08 00 06 ED A0 BD ED B8 80", "PUBLISH", "Topic Name", 2)]     // CESU-8 surrogate pair
    [InlineData("30 06 00 04 F4 90 80 80", "PUBLISH", "Topic Name", 2)]           // U+110000
    [InlineData("30 07 00 05 F8 88 80 80 80", "PUBLISH", "Topic Name", 2)]        // 5-byte form
    [InlineData("30 03 00 01 80", "PUBLISH", "Topic Name", 2)]                    // lone continuation byte
    [InlineData("30 04 00 02 E6 B8", "PUBLISH", "Topic Name", 2)]                 // 温 cut short by the length
    [InlineData("30 03 00 01 FF", "PUBLISH", "Topic Name", 2)]
    [InlineData("10 0C 00 04 4D 51 54 C3 04 02 00 3C 00 00", "CONNECT", "Protocol Name", 2)]
    [InlineData("10 0E " + Mqtt4 + " 02 00 3C 00 02 C3 28", "CONNECT", "Client Identifier", 12)]
    [InlineData("10 13 " + Mqtt4 + " 06 00 3C 00 00 00 03 ED A0 80 00 00", "CONNECT", "Will Topic", 14)]
    [InlineData("10 11 " + Mqtt4 + " 82 00 3C 00 00 00 03 ED A0 80", "CONNECT", "User Name", 14)]
    [InlineData("82 08 00 0A 00 03 ED A0 80 01", "SUBSCRIBE", "Topic Filter", 4)]
    [InlineData("A2 07 00 0A 00 03 C0 AF 61", "UNSUBSCRIBE", "Topic Filter", 4)]
    public void Decode_InvalidUtf8_Throws(string hex, string packet, string field, int offset) =>
        AssertNames(hex, packet, field, offset, "UTF-8");

    [Theory]
    // 1.5.3-2: no U+0000 in a UTF-8 encoded string.
    [InlineData("30 05 00 03 61 00 62", "PUBLISH", "Topic Name", 2)]
    [InlineData("10 0D " + Mqtt4 + " 02 00 3C 00 01 00", "CONNECT", "Client Identifier", 12)]
    [InlineData("10 10 " + Mqtt4 + " 82 00 3C 00 00 00 02 75 00", "CONNECT", "User Name", 14)]
    [InlineData("82 07 00 0A 00 02 61 00 01", "SUBSCRIBE", "Topic Filter", 4)]
    [InlineData("A2 06 00 0A 00 02 00 61", "UNSUBSCRIBE", "Topic Filter", 4)]
    public void Decode_NullCharacterInString_Throws(string hex, string packet, string field, int offset) =>
        AssertNames(hex, packet, field, offset, "U+0000");

    [Theory]
    // 3.3.2-2 / 4.7.1: a topic name carries no wildcards; 4.7.3: it is at least one character.
    [InlineData("30 05 00 03 61 2F 2B", "PUBLISH", "Topic Name", 2, "'+'")]
    [InlineData("30 05 00 03 61 2F 23", "PUBLISH", "Topic Name", 2, "'#'")]
    [InlineData("30 03 00 01 2B", "PUBLISH", "Topic Name", 2, "'+'")]
    [InlineData("30 04 00 02 61 2B", "PUBLISH", "Topic Name", 2, "'+'")]
    [InlineData("30 02 00 00", "PUBLISH", "Topic Name", 2, "at least one character")]
    [InlineData("10 11 " + Mqtt4 + " 06 00 3C 00 00 00 01 23 00 00", "CONNECT", "Will Topic", 14, "'#'")]
    public void Decode_InvalidTopicName_Throws(string hex, string packet, string field, int offset, string problem) =>
        AssertNames(hex, packet, field, offset, problem);

    [Theory]
    // 3.1.2-3: reserved flag bit 0 must be 0.
    [InlineData("10 0C " + Mqtt4 + " 03 00 3C 00 00", "Connect Flags", 9)]
    // 3.1.2-22: no password without a user name.
    [InlineData("10 0F " + Mqtt4 + " 42 00 3C 00 00 00 01 70", "Password Flag", 9)]
    // 3.1.2-13 / 3.1.2-15: no will QoS or will retain without the will flag.
    [InlineData("10 0C " + Mqtt4 + " 0A 00 3C 00 00", "Will QoS/Retain", 9)]
    [InlineData("10 0C " + Mqtt4 + " 12 00 3C 00 00", "Will QoS/Retain", 9)]
    [InlineData("10 0C " + Mqtt4 + " 22 00 3C 00 00", "Will QoS/Retain", 9)]
    // 3.1.2-14: will QoS 3.
    [InlineData("10 11 " + Mqtt4 + " 1E 00 3C 00 00 00 01 61 00 00", "Will QoS", 9)]
    // 3.1.2-1 / 3.1.2-2: "MQTT" level 4 (or MQTT 3.1's "MQIsdp" level 3), nothing else.
    [InlineData("10 0C 00 04 4D 51 54 58 04 02 00 3C 00 00", "Protocol Name", 2)]
    [InlineData("10 0C 00 04 6D 71 74 74 04 02 00 3C 00 00", "Protocol Name", 2)]
    [InlineData("10 0C 00 04 4D 51 54 54 03 02 00 3C 00 00", "Protocol Name", 2)]
    [InlineData("10 0C 00 04 4D 51 54 54 05 02 00 3C 00 00", "Protocol Name", 2)]
    [InlineData("10 0E 00 06 4D 51 49 73 64 70 04 02 00 3C 00 00", "Protocol Name", 2)]
    [InlineData("10 00", "Protocol Name", 2)]
    // Fields the flags promise, missing; and bytes after the last one.
    [InlineData("10 06 00 04 4D 51 54 54", "Protocol Level", 8)]
    [InlineData("10 07 " + Mqtt4, "Connect Flags", 9)]
    [InlineData("10 08 " + Mqtt4 + " 02", "Keep Alive", 10)]
    [InlineData("10 0A " + Mqtt4 + " 02 00 3C", "Client Identifier", 12)]
    [InlineData("10 0C " + Mqtt4 + " 06 00 3C 00 00", "Will Topic", 14)]
    [InlineData("10 0F " + Mqtt4 + " 06 00 3C 00 00 00 01 61", "Will Message", 17)]
    [InlineData("10 0C " + Mqtt4 + " 82 00 3C 00 00", "User Name", 14)]
    [InlineData("10 0F " + Mqtt4 + " C2 00 3C 00 00 00 01 75", "Password", 17)]
    [InlineData("10 0E " + Mqtt4 + " 02 00 3C 00 00 FF FF", "Remaining Length", 1)]
    public void Decode_ConnectRule_Throws(string hex, string field, int offset) =>
        AssertNames(hex, "CONNECT", field, offset);

    [Theory]
    // 3.2.2.1: acknowledge flags bits 7-1 reserved; 3.2.2.3 table 3.1: return codes 6-255 reserved.
    [InlineData("20 02 00 06", "Connect Return Code", 3)]
    [InlineData("20 02 00 FF", "Connect Return Code", 3)]
    [InlineData("20 02 02 00", "Connect Acknowledge Flags", 2)]
    [InlineData("20 02 80 00", "Connect Acknowledge Flags", 2)]
    [InlineData("20 01 00", "Connect Return Code", 3)]
    [InlineData("20 00", "Connect Acknowledge Flags", 2)]
    [InlineData("20 03 00 00 00", "Remaining Length", 1)]
    public void Decode_ConnAckRule_Throws(string hex, string field, int offset) =>
        AssertNames(hex, "CONNACK", field, offset);

    [Theory]
    // 3.8.3-3: at least one filter; 3.8.3-4: requested QoS 0..2 with reserved bits 0; 4.7.1 filter syntax.
    [InlineData("82 02 00 0A", "SUBSCRIBE", "Topic Filter", 4, "at least one")]
    [InlineData("82 08 00 0A 00 03 61 2F 62 03", "SUBSCRIBE", "Requested QoS", 9, "0x03")]
    [InlineData("82 08 00 0A 00 03 61 2F 62 81", "SUBSCRIBE", "Requested QoS", 9, "0x81")]
    [InlineData("82 08 00 0A 00 03 61 2F 62 04", "SUBSCRIBE", "Requested QoS", 9, "0x04")]
    [InlineData("82 0E 00 0A 00 03 61 2F 62 01 00 03 63 2F 64 03", "SUBSCRIBE", "Requested QoS", 15, "0x03")]
    [InlineData("82 07 00 0A 00 03 61 2F 62", "SUBSCRIBE", "Requested QoS", 9, "ends")]
    [InlineData("82 0E 00 0A 00 09 73 70 6F 72 74 2F 23 2F 78 00", "SUBSCRIBE", "Topic Filter", 4, "'#'")]
    [InlineData("82 07 00 0A 00 02 61 2B 00", "SUBSCRIBE", "Topic Filter", 4, "'+'")]
    [InlineData("82 05 00 0A 00 00 00", "SUBSCRIBE", "Topic Filter", 4, "at least one character")]
    [InlineData("82 0D 00 0A 00 08 24 73 68 61 72 65 2F 67 00", "SUBSCRIBE", "Topic Filter", 4, "shared subscription")]
    // 3.9.3: return codes 0x00, 0x01, 0x02, 0x80 only, at least one.
    [InlineData("90 03 00 0A 03", "SUBACK", "Return Code", AnyOffset, "0x03")]
    [InlineData("90 03 00 0A 81", "SUBACK", "Return Code", AnyOffset, "0x81")]
    [InlineData("90 04 00 0A 00 7F", "SUBACK", "Return Code", AnyOffset, "0x7F")]
    [InlineData("90 02 00 0A", "SUBACK", "Return Code", 4, "at least one")]
    // 3.10.3-2: at least one filter.
    [InlineData("A2 02 00 0A", "UNSUBSCRIBE", "Topic Filter", 4, "at least one")]
    [InlineData("A2 07 00 0A 00 03 23 2F 61", "UNSUBSCRIBE", "Topic Filter", 4, "'#'")]
    public void Decode_SubscriptionRule_Throws(string hex, string packet, string field, int offset, string problem) =>
        AssertNames(hex, packet, field, offset, problem);

    [Theory]
    // 3.4-3.7, 3.11: Remaining Length is exactly 2; 3.12-3.14: exactly 0.
    [InlineData("40 03 00 0A 00", "PUBACK")]
    [InlineData("50 04 00 0A 00 00", "PUBREC")]
    [InlineData("62 03 00 0A 00", "PUBREL")]
    [InlineData("70 03 00 0A FF", "PUBCOMP")]
    [InlineData("B0 03 00 0A 00", "UNSUBACK")]
    [InlineData("C0 01 00", "PINGREQ")]
    [InlineData("D0 01 00", "PINGRESP")]
    [InlineData("E0 02 00 00", "DISCONNECT")]
    public void Decode_BytesLeftOverAfterLastField_Throws(string hex, string packet) =>
        AssertNames(hex, packet, "Remaining Length", 1, "left over");

    [Fact]
    public void Decode_MalformedSecondPacket_FirstDecodedThenThrows()
    {
        // A read loop gets the good packet first; the error is raised when the bad one is reached.
        var buffer = new ReadOnlySequence<byte>(Hex("40 02 00 0A 40 02 00 00"));
        Assert.True(MqttPacketDecoder.TryDecode(ref buffer, LargeMaxPacketSize, out var first));
        Assert.NotNull(first);

        Assert.Throws<MqttProtocolException>(() =>
            MqttPacketDecoder.TryDecode(ref buffer, LargeMaxPacketSize, out _));
    }

    private static void AssertNames(string hex, string packet, string field, int offset, string problem = "")
    {
        var message = DecodeFails(hex).Message;

        Assert.StartsWith($"MQTT {packet}: {field} at offset ", message, StringComparison.Ordinal);
        if (offset != AnyOffset)
            Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"MQTT {packet}: {field} at offset {offset}: "), message, StringComparison.Ordinal);
        Assert.Contains(problem, message, StringComparison.Ordinal);
    }
}
