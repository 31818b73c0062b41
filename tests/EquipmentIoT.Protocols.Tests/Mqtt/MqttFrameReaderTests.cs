using System.Buffers;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Formatter;
using EquipmentIoT.Protocols.Mqtt.Packets;
using EquipmentIoT.Testing.Fuzzing;
using static EquipmentIoT.Protocols.Tests.Mqtt.MqttWire;

namespace EquipmentIoT.Protocols.Tests.Mqtt;

/// <summary>Cutting packets out of a byte stream that arrives in pieces (2.2, section 4.2 ordered byte stream).</summary>
public class MqttFrameReaderTests
{
    // One of each type, the golden bytes from MqttGoldenBytesTests.
    private static readonly string[] OneOfEach =
    [
        "10 20 00 04 4D 51 54 54 04 CE 00 0A 00 04 64 65 76 31 00 03 77 2F 74 00 03 62 79 65 00 01 75 00 01 70",
        "20 02 01 00",
        "3D 09 00 03 61 2F 62 00 0A 68 69",
        "40 02 00 0A",
        "50 02 00 0A",
        "62 02 00 0A",
        "70 02 00 0A",
        "82 0E 00 0A 00 03 61 2F 62 01 00 03 63 2F 64 02",
        "90 05 00 0A 00 02 80",
        "A2 0C 00 0A 00 03 61 2F 62 00 03 63 2F 64",
        "B0 02 00 0A",
        "C0 00",
        "D0 00",
        "E0 00",
    ];

    public static TheoryData<string> Packets => new(OneOfEach);

    [Theory]
    [MemberData(nameof(Packets))]
    public void TryRead_EveryPrefixInRandomSegments_FalseUntilComplete(string hex)
    {
        var bytes = Hex(hex);
        var random = new Random(1234);
        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = SegmentedSequence.Chop(bytes[..length], random, 1 + random.Next(4));

            Assert.False(MqttFrameReader.TryRead(ref prefix, LargeMaxPacketSize, out _), $"{length} of {bytes.Length} bytes");
            Assert.Equal(length, prefix.Length);
        }
    }

    [Theory]
    [MemberData(nameof(Packets))]
    public void TryDecode_EverySplitPointAndRandomSegments_DecodesIdentically(string hex)
    {
        var bytes = Hex(hex);
        var expected = DecodeSingle(bytes);

        for (var split = 1; split < bytes.Length; split++)
            MqttPacketAssert.Equal(expected, DecodeSingle(SegmentedSequence.Cut(bytes, split)));

        var random = new Random(1234);
        for (var round = 0; round < 50; round++)
            MqttPacketAssert.Equal(expected, DecodeSingle(SegmentedSequence.Chop(bytes, random, 1 + random.Next(bytes.Length))));

        MqttPacketAssert.Equal(expected, DecodeSingle(SegmentedSequence.Chop(bytes, random, 1)));
    }

    [Fact]
    public void TryDecode_AllTypesInOneBufferOfTinySegments_ReadOneAfterAnother()
    {
        var stream = OneOfEach.SelectMany(Hex).ToArray();
        var random = new Random(1234);

        for (var round = 0; round < 20; round++)
        {
            var packets = DecodeAll(SegmentedSequence.Chop(stream, random, 1 + random.Next(3)), out var leftOver);

            Assert.Equal(0, leftOver);
            Assert.Equal(Enumerable.Range(1, 14).Select(t => (MqttPacketType)t), packets.Select(p => p.Type));
        }
    }

    [Fact]
    public void TryRead_SecondPacketIncomplete_FirstReadSecondWaits()
    {
        var buffer = new ReadOnlySequence<byte>(Hex("40 02 00 0A 50 02 00"));

        Assert.True(MqttPacketDecoder.TryDecode(ref buffer, LargeMaxPacketSize, out var first));
        Assert.False(MqttPacketDecoder.TryDecode(ref buffer, LargeMaxPacketSize, out var second));

        Assert.IsType<MqttPubAckPacket>(first);
        Assert.Null(second);
        Assert.Equal(ToHex(Hex("50 02 00")), ToHex(buffer.ToArray()));
    }

    [Fact]
    public void TryRead_HeaderClaims200MegabytesWithFiveBytesPresent_ThrowsAtOnceAllocatingNothing()
    {
        // 209,715,200 = 0x0C800000 → 80 80 80 64. Only the fixed header has arrived; the size check
        // must not wait for (or buffer) the body it announces.
        var bytes = Hex("30 80 80 80 64");
        TryReadTooLarge(bytes); // warm up: JIT and first-call costs are not what is measured

        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = TryReadTooLarge(bytes);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.NotNull(ex);
        Assert.Contains("PUBLISH", ex.Message, StringComparison.Ordinal);
        Assert.Contains("209715205", ex.Message, StringComparison.Ordinal);
        Assert.Contains("maximum packet size", ex.Message, StringComparison.Ordinal);
        Assert.True(allocated < 16 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void TryRead_PacketExactlyMaxPacketSize_Accepted_OneByteMore_Rejected()
    {
        var atLimit = new ReadOnlySequence<byte>(Hex("30 07 00 03 61 2F 62 68 69"));
        Assert.True(MqttFrameReader.TryRead(ref atLimit, 9, out _));

        var ex = DecodeFails("30 07 00 03 61 2F 62 68 69", maxPacketSize: 8);
        Assert.Contains("9 bytes exceeds the maximum packet size of 8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_BodySliceOfMultiSegmentBuffer_CoversExactlyTheBody()
    {
        var bytes = Hex("3D 09 00 03 61 2F 62 00 0A 68 69 C0 00");
        var buffer = SegmentedSequence.Cut(bytes, 3, 3, 3);

        Assert.True(MqttFrameReader.TryRead(ref buffer, LargeMaxPacketSize, out var frame));

        Assert.Equal(MqttPacketType.Publish, frame.Type);
        Assert.Equal(0x0D, frame.Flags);
        Assert.Equal(2, frame.HeaderLength);
        Assert.Equal("0003612F62000A6869", ToHex(frame.Body.ToArray()));
        Assert.Equal("C000", ToHex(buffer.ToArray()));
    }

    [Fact]
    public void DecodePacketIdentifier_AckFrame_ReadsIdentifierWithoutPacketObject()
    {
        var buffer = SegmentedSequence.Cut(Hex("70 02 12 34"), 3);

        Assert.True(MqttFrameReader.TryRead(ref buffer, LargeMaxPacketSize, out var frame));

        Assert.Equal(0x1234, MqttPacketDecoder.DecodePacketIdentifier(frame));
    }

    private static MqttProtocolException? TryReadTooLarge(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        try
        {
            MqttFrameReader.TryRead(ref buffer, 64 * 1024, out _);
            return null;
        }
        catch (MqttProtocolException ex)
        {
            return ex;
        }
    }
}
