using EquipmentIoT.Protocols.Mqtt.Packets;
using static EquipmentIoT.Protocols.Tests.Mqtt.MqttWire;

namespace EquipmentIoT.Protocols.Tests.Mqtt.Regressions;

/// <summary>
/// MqttPacketDecoder.DecodeConnect: <c>byte[]? password = hasPassword ? … : null</c> assigned to the
/// <c>ReadOnlyMemory&lt;byte&gt;?</c> property goes through the implicit <c>T[] → ReadOnlyMemory&lt;T&gt;</c>
/// conversion, which turns a null array into an empty memory, so the property is never null: a CONNECT
/// without the Password Flag (3.1.2.9) decodes as one with an empty password, and re-encoding it sets
/// the flag — or throws, when there is no user name (3.1.2-22).
/// </summary>
public class ConnectWithoutPasswordDecodesEmptyPasswordTests
{
    [Theory]
    [InlineData("10 0C 00 04 4D 51 54 54 04 02 00 3C 00 00")]                // no user name, no password
    [InlineData("10 0F 00 04 4D 51 54 54 04 82 00 3C 00 00 00 01 75")]       // user name "u", no password
    public void Decode_ConnectWithoutPasswordFlag_PasswordIsNull(string hex)
    {
        var connect = (MqttConnectPacket)DecodeSingle(Hex(hex));

        Assert.False(connect.Password.HasValue, "the Password Flag is 0, so there is no password");
    }

    [Theory]
    [InlineData("10 0C 00 04 4D 51 54 54 04 02 00 3C 00 00")]
    [InlineData("10 0F 00 04 4D 51 54 54 04 82 00 3C 00 00 00 01 75")]
    public void Decode_ConnectWithoutPasswordFlag_ReencodesToTheSameBytes(string hex)
    {
        Assert.Equal(ToHex(Hex(hex)), ToHex(Encode(DecodeSingle(Hex(hex)))));
    }
}
