using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Buffer;

namespace EquipmentIoT.EdgeAgent.Tests.Buffer;

[SupportedOSPlatform("linux")]
public class Crc32CTests
{
    // RFC 3720 appendix B.4 (CRC examples), the 48-byte iSCSI read PDU from the same appendix, and the
    // common "123456789" check value of CRC-32C.
    public static TheoryData<string, byte[], uint> KnownAnswers => new()
    {
        { "32 bytes of zeros", new byte[32], 0x8A9136AA },
        { "32 bytes of 0xFF", Enumerable.Repeat((byte)0xFF, 32).ToArray(), 0x62A8AB43 },
        { "32 incrementing bytes", Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), 0x46DD794E },
        { "32 decrementing bytes", Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray(), 0x113FDB5C },
        { "iSCSI read PDU", Convert.FromHexString("01C000000000000000000000000000001400000000000400000000140000001828000000000000000200000000000000"), 0xD9963A56 },
        { "123456789", "123456789"u8.ToArray(), 0xE3069283 },
        { "empty", [], 0 },
    };

    [Theory]
    [MemberData(nameof(KnownAnswers))]
    public void Compute_Rfc3720Vectors_KnownAnswers(string name, byte[] data, uint expected)
    {
        Assert.True(Crc32C.Compute(data) == expected, name);
        Assert.Equal(expected, ~Crc32C.UpdateSoftware(uint.MaxValue, data));
    }

    [Theory]
    [MemberData(nameof(KnownAnswers))]
    public void UpdateHardware_Rfc3720Vectors_KnownAnswers(string name, byte[] data, uint expected)
    {
        Assert.True(~Crc32C.UpdateHardware(uint.MaxValue, data) == expected, name);
    }

    [Fact]
    public void UpdateSoftware_RandomLengthsAndOffsets_MatchesHardwarePath()
    {
        var random = new Random(3720);
        var data = new byte[4099];
        random.NextBytes(data);
        for (var start = 0; start < 9; start++)
        {
            foreach (var length in new[] { 0, 1, 7, 8, 9, 15, 16, 63, 64, 1000, 4090 })
            {
                var span = data.AsSpan(start, length);
                Assert.Equal(Crc32C.UpdateHardware(0x12345678, span), Crc32C.UpdateSoftware(0x12345678, span));
            }
        }
    }

    [Fact]
    public void Append_SplitAnywhere_EqualsWhole()
    {
        var data = "The quick brown fox jumps over the lazy dog"u8.ToArray();
        var whole = Crc32C.Compute(data);
        for (var split = 0; split <= data.Length; split++)
            Assert.Equal(whole, Crc32C.Append(Crc32C.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
    }
}
