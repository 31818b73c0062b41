using static EquipmentIoT.Protocols.Tests.Mqtt.MqttWire;

namespace EquipmentIoT.Protocols.Tests.Mqtt.Regressions;

/// <summary>
/// MqttPacketDecoder.DecodeSubAck reports a reserved return code with <c>r.Fail(...)</c>, whose offset is
/// taken after the byte was read: one past the bad byte. SUBSCRIBE's Requested QoS uses
/// <c>r.Offset - 1</c> and points at the byte itself.
/// </summary>
public class SubAckReturnCodeOffsetOneTooFarTests
{
    [Theory]
    [InlineData("90 03 00 0A 03", 4)]
    [InlineData("90 05 00 0A 00 01 81", 6)]
    public void Decode_ReservedSubAckReturnCode_OffsetIsThatOfTheByte(string hex, int offset)
    {
        var ex = DecodeFails(hex);

        Assert.StartsWith($"MQTT SUBACK: Return Code at offset {offset}: ", ex.Message, StringComparison.Ordinal);
    }
}
