using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Buffer;

namespace EquipmentIoT.EdgeAgent.Tests.Buffer;

[SupportedOSPlatform("linux")]
public class RecordFormatTests
{
    // Computed independently (a bitwise CRC-32C in Python): seq 1, appended 2026-01-01T00:00:00Z, a 28-byte JWS-like payload.
    private const string GoldenRecord =
        "E951B101" + "0000001C" + "0000000000000001" + "0000019B76DAA800" + "34ABB32F" +
        "65794A68624763694F694A46557A49314E694A392E6533302E736967";

    private static readonly byte[] GoldenPayload = "eyJhbGciOiJFUzI1NiJ9.e30.sig"u8.ToArray();

    [Fact]
    public void WriteHeader_GoldenRecord_BytesMatch()
    {
        var header = new byte[RecordFormat.HeaderSize];
        RecordFormat.WriteHeader(header, 1, ManualTimeProvider.DefaultStart.ToUnixTimeMilliseconds(), GoldenPayload);
        Assert.Equal(GoldenRecord, Convert.ToHexString([.. header, .. GoldenPayload]));
    }

    [Fact]
    public async Task AppendAsync_GoldenRecord_FileBytesMatchFormat()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        await buffer.AppendAsync(BufferStreams.Events, 1, GoldenPayload, CancellationToken.None);
        var file = Assert.Single(context.SegmentFiles(BufferStreams.Events));
        Assert.Equal("00000000000000000001.seg", Path.GetFileName(file));
        Assert.Equal(GoldenRecord, Convert.ToHexString(await File.ReadAllBytesAsync(file)));
    }

    [Fact]
    public void TryReadHeader_GoldenRecord_FieldsAndCrc()
    {
        var bytes = Convert.FromHexString(GoldenRecord);
        Assert.Equal(HeaderProblem.None, RecordFormat.TryReadHeader(bytes, out var header));
        Assert.Equal((28, 1L, 1767225600000L, 0x34ABB32Fu), (header.Length, header.Seq, header.AppendedAtMs, header.Crc));
        Assert.True(RecordFormat.CrcMatches(bytes.AsSpan(0, 28), bytes.AsSpan(28)));
    }

    [Theory]
    [InlineData(0, "BadMagic")]
    [InlineData(4, "BadLength")]
    [InlineData(8, "BadSeq")]
    public void TryReadHeader_DamagedField_NamesProblem(int offset, string expected)
    {
        var bytes = Convert.FromHexString(GoldenRecord);
        bytes[offset] = 0xFF;
        Assert.Equal(expected, RecordFormat.TryReadHeader(bytes, out _).ToString());
    }

    [Fact]
    public void TryReadHeader_ShortInput_Truncated()
    {
        Assert.Equal(HeaderProblem.Truncated, RecordFormat.TryReadHeader(Convert.FromHexString(GoldenRecord).AsSpan(0, 27), out _));
    }

    [Fact]
    public void CrcMatches_AnyPayloadOrCoveredHeaderByteFlipped_False()
    {
        var bytes = Convert.FromHexString(GoldenRecord);
        for (var i = 4; i < bytes.Length; i++)
        {
            if (i is >= 24 and < 28) continue;
            var copy = (byte[])bytes.Clone();
            copy[i] ^= 0x01;
            Assert.False(RecordFormat.CrcMatches(copy.AsSpan(0, 28), copy.AsSpan(28)), $"byte {i}");
        }
    }

    [Fact]
    public void AckFile_EncodeDecode_GoldenBytesAndRoundTrip()
    {
        Assert.Equal("4551414B000000000000002ACF2637FE", Convert.ToHexString(AckFile.Encode(42)));
        Assert.Equal(42, AckFile.Decode(AckFile.Encode(42), out var problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("")]
    [InlineData("68656C6C6F")]
    [InlineData("4551414B000000000000002ACF2637FF")]
    [InlineData("5851414B000000000000002ACF2637FE")]
    public void AckFile_Garbage_NullWithReason(string hex)
    {
        Assert.Null(AckFile.Decode(Convert.FromHexString(hex), out var problem));
        Assert.NotNull(problem);
    }
}
