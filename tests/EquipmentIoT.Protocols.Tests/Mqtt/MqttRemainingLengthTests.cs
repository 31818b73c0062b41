using System.Buffers;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Formatter;
using static EquipmentIoT.Protocols.Tests.Mqtt.MqttWire;

namespace EquipmentIoT.Protocols.Tests.Mqtt;

/// <summary>The Remaining Length field, 2.2.3: 1 to 4 bytes, 7 bits each, least significant first.</summary>
public class MqttRemainingLengthTests
{
    [Theory]
    [InlineData(0, "00")]
    [InlineData(64, "40")]                       // 2.2.3 non-normative comment: 64 is 0x40
    [InlineData(127, "7F")]                      // table 2.4
    [InlineData(128, "80 01")]
    [InlineData(321, "C1 02")]                   // 2.2.3 non-normative comment: 321 = 65 + 2 × 128
    [InlineData(16_383, "FF 7F")]
    [InlineData(16_384, "80 80 01")]
    [InlineData(2_097_151, "FF FF 7F")]
    [InlineData(2_097_152, "80 80 80 01")]
    [InlineData(268_435_455, "FF FF FF 7F")]     // 2.2.3: the largest, "0xFF, 0xFF, 0xFF, 0x7F"
    public void WriteRemainingLength_Table24Values_ExactBytes(int value, string hex)
    {
        var span = new byte[4];

        var size = MqttPacketEncoder.WriteRemainingLength(span, value);

        Assert.Equal(hex.Replace(" ", "", StringComparison.Ordinal), ToHex(span.AsSpan(0, size)));
        Assert.Equal(size, MqttPacketEncoder.RemainingLengthSize(value));
    }

    [Theory]
    [InlineData("00", 0)]
    [InlineData("7F", 127)]
    [InlineData("80 01", 128)]
    [InlineData("C1 02", 321)]
    [InlineData("FF 7F", 16_383)]
    [InlineData("80 80 01", 16_384)]
    [InlineData("FF FF 7F", 2_097_151)]
    [InlineData("80 80 80 01", 2_097_152)]
    public void TryRead_EachFieldSize_CutsBodyOfThatLength(string lengthHex, int bodyLength)
    {
        var field = Hex(lengthHex);
        var bytes = new byte[1 + field.Length + bodyLength];
        bytes[0] = 0x30;
        field.CopyTo(bytes, 1);
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.True(MqttFrameReader.TryRead(ref buffer, LargeMaxPacketSize, out var frame));

        Assert.Equal(1 + field.Length, frame.HeaderLength);
        Assert.Equal(bodyLength, frame.Body.Length);
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void TryRead_MaximumRemainingLength_DecodedAs268435455()
    {
        // FF FF FF 7F with no body: the value is read exactly, and the 5-byte header makes 268,435,460
        // bytes in all: one byte over the limit throws and names the size, at the limit it waits for more.
        var header = Hex("30 FF FF FF 7F");
        var atLimit = new ReadOnlySequence<byte>(header);
        Assert.False(MqttFrameReader.TryRead(ref atLimit, 268_435_460, out _));

        var overLimit = new ReadOnlySequence<byte>(header);
        var ex = Assert.Throws<MqttProtocolException>(() => MqttFrameReader.TryRead(ref overLimit, 268_435_459, out _));
        Assert.Contains("268435460", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_FifthContinuationByte_ThrowsRemainingLength()
    {
        var ex = DecodeFails("30 FF FF FF FF 01");

        Assert.Contains("PUBLISH", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Remaining Length", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_FourthByteHasContinuationBit_ThrowsWithoutWaitingForFifth()
    {
        // 80 80 80 80 can only continue into a fifth byte, which 2.2.3 forbids: no need to wait for it.
        var ex = DecodeFails("30 80 80 80 80");

        Assert.Contains("Remaining Length", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("30 80")]
    [InlineData("30 FF FF")]
    [InlineData("30 FF FF FF")]
    public void TryRead_RemainingLengthNotYetComplete_ReturnsFalseBufferUntouched(string hex)
    {
        var buffer = new ReadOnlySequence<byte>(Hex(hex));

        Assert.False(MqttFrameReader.TryRead(ref buffer, LargeMaxPacketSize, out _));
        Assert.Equal(Hex(hex).Length, buffer.Length);
    }
}
