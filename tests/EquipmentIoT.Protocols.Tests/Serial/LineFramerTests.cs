using System.Runtime.Versioning;
using System.Text;
using EquipmentIoT.Protocols.Serial.Framing;

namespace EquipmentIoT.Protocols.Tests.Serial;

/// <summary>Line cutting, limits, control bytes, partial lines and decoding of <see cref="LineFramer"/>.</summary>
[SupportedOSPlatform("linux")]
public sealed class LineFramerTests
{
    private static readonly Encoding Gb18030 = CodePagesEncodingProvider.Instance.GetEncoding(54936)!;

    [Fact]
    public void Feed_LfTerminatedLines_EachLineOnce()
    {
        var (lines, framer) = Feed(new LineFramerOptions(), "STAT T=41.5\nSTAT T=41.6\n");

        Assert.Equal(["STAT T=41.5", "STAT T=41.6"], lines);
        Assert.Equal(2, framer.Statistics.Lines);
        Assert.False(framer.HasPartialLine);
    }

    [Fact]
    public void Feed_CrLfSplitAcrossReads_OneTerminatorNoControlByte()
    {
        var framer = new LineFramer(new LineFramerOptions { LineEnding = LineEnding.CrLf });
        var lines = new List<string>();

        framer.Feed("A=1\r"u8, lines);
        Assert.Empty(lines);
        framer.Feed("\nB=2\r\n"u8, lines);

        Assert.Equal(["A=1", "B=2"], lines);
        Assert.Equal(0, framer.Statistics.ControlBytes);
        Assert.Equal(0, framer.Statistics.EmptyLines);
    }

    [Fact]
    public void Feed_CrLfModeStrayCr_CountedAsControlByteAndDropped()
    {
        var (lines, framer) = Feed(new LineFramerOptions { LineEnding = LineEnding.CrLf }, "A=\r1\n");

        Assert.Equal(["A=1"], lines);
        Assert.Equal(1, framer.Statistics.ControlBytes);
    }

    [Fact]
    public void Feed_LfModeCrLf_CrCountedAsControlByte()
    {
        var (lines, framer) = Feed(new LineFramerOptions { LineEnding = LineEnding.Lf }, "A=1\r\n");

        Assert.Equal(["A=1"], lines);
        Assert.Equal(1, framer.Statistics.ControlBytes);
    }

    [Fact]
    public void Feed_AnyModeLoneCrAndCrLfAndLf_EachEndsOneLine()
    {
        var (lines, framer) = Feed(new LineFramerOptions { LineEnding = LineEnding.Any }, "A\rB\r\nC\nD\r");

        Assert.Equal(["A", "B", "C"], lines);
        Assert.True(framer.HasPartialLine);
        var rest = new List<string>();
        Assert.False(framer.DropPartialLine(rest));
        Assert.Equal(["D"], rest);
        Assert.Equal(0, framer.Statistics.PartialLines);
    }

    [Fact]
    public void Feed_OverlongLine_DiscardedToItsTerminatorAndCountedOnce()
    {
        var options = new LineFramerOptions { MaxLineLength = 16 };
        var (lines, framer) = Feed(options, new string('x', 17) + "yyyyyyyyyyyyyyyyyyyyyyyy\nOK=1\n" + new string('z', 16) + "\n");

        Assert.Equal(["OK=1", new string('z', 16)], lines);
        Assert.Equal(1, framer.Statistics.OverlongLines);
    }

    [Fact]
    public void Feed_EndlessLineWithoutTerminator_MemoryStaysAtTheMaximum()
    {
        var framer = new LineFramer(new LineFramerOptions { MaxLineLength = 16 });
        var lines = new List<string>();
        var chunk = new byte[4096];
        chunk.AsSpan().Fill((byte)'a');
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) framer.Feed(chunk, lines);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Empty(lines);
        Assert.InRange(allocated, 0, 1024);
        framer.Feed("\n"u8, lines);
        Assert.Equal(1, framer.Statistics.OverlongLines);
    }

    [Fact]
    public void DropPartialLine_UnterminatedTail_CountedAndGone()
    {
        var (lines, framer) = Feed(new LineFramerOptions(), "A=1\nB=");

        Assert.Equal(["A=1"], lines);
        Assert.True(framer.HasPartialLine);
        Assert.True(framer.DropPartialLine());
        Assert.False(framer.HasPartialLine);
        Assert.False(framer.DropPartialLine());
        Assert.Equal(1, framer.Statistics.PartialLines);
        framer.Feed("C=3\n"u8, lines);
        Assert.Equal(["A=1", "C=3"], lines);
    }

    [Fact]
    public void Feed_NulAndControlBytes_CountedAndStrippedTabKept()
    {
        var (lines, framer) = Feed(new LineFramerOptions(), "A\0=\u00011\t2\u007F\n\0\0\n");

        Assert.Equal(["A=1\t2"], lines);
        Assert.Equal(5, framer.Statistics.ControlBytes);
        Assert.Equal(3, framer.Statistics.NulBytes);
        Assert.Equal(1, framer.Statistics.EmptyLines);
    }

    [Fact]
    public void Feed_AsciiWithHighByte_EncodingErrorLineSkipped()
    {
        var framer = new LineFramer(new LineFramerOptions { Encoding = "ascii" });
        var lines = new List<string>();

        framer.Feed([(byte)'A', 0xC3, 0xA9, (byte)'\n', (byte)'B', (byte)'\n'], lines);

        Assert.Equal(["B"], lines);
        Assert.Equal(1, framer.Statistics.EncodingErrors);
    }

    [Fact]
    public void Feed_ValidUtf8_Decoded()
    {
        var (lines, _) = Feed(new LineFramerOptions { Encoding = "utf-8" }, "T=41.5 °C 温度\n");

        Assert.Equal(["T=41.5 °C 温度"], lines);
    }

    [Theory]
    [InlineData("utf-8", new byte[] { 0x41, 0xC3, 0x28, 0x0A })]             // bad continuation byte
    [InlineData("utf-8", new byte[] { 0x41, 0xE2, 0x82, 0x0A })]             // truncated 3-byte sequence
    [InlineData("utf-8", new byte[] { 0xC0, 0xAF, 0x0A })]                   // overlong encoding of '/'
    [InlineData("utf-8", new byte[] { 0xED, 0xA0, 0x80, 0x0A })]             // UTF-16 surrogate
    [InlineData("utf-8", new byte[] { 0xF4, 0x90, 0x80, 0x80, 0x0A })]       // above U+10FFFF
    [InlineData("gb18030", new byte[] { 0x41, 0x81, 0x0A })]                 // lead byte without trail byte
    [InlineData("gb18030", new byte[] { 0x81, 0x30, 0x81, 0x0A })]           // four-byte sequence cut short
    [InlineData("gb18030", new byte[] { 0xFF, 0x41, 0x0A })]                 // 0xFF is never a lead byte
    public void Feed_InvalidBytesForTheEncoding_EncodingErrorNoReplacementCharacter(string encoding, byte[] bytes)
    {
        var framer = new LineFramer(new LineFramerOptions { Encoding = encoding });
        var lines = new List<string>();

        framer.Feed(bytes, lines);

        Assert.Empty(lines);
        Assert.Equal(1, framer.Statistics.EncodingErrors);
    }

    [Fact]
    public void Feed_Latin1_EveryByteDecodes()
    {
        var framer = new LineFramer(new LineFramerOptions { Encoding = "iso-8859-1" });
        var lines = new List<string>();

        framer.Feed([(byte)'T', (byte)'=', 0xB0, 0xE9, (byte)'\n'], lines);

        Assert.Equal(["T=°é"], lines);
    }

    [Fact]
    public void Feed_Gb18030TwoAndFourByteCharacters_Decoded()
    {
        const string text = "状态=扫描 温度=41.5 €😀";
        var bytes = Gb18030.GetBytes(text + "\n");
        var framer = new LineFramer(new LineFramerOptions { Encoding = "gb18030" });
        var lines = new List<string>();

        // Byte by byte: a multi-byte character split across reads still decodes.
        foreach (var b in bytes) framer.Feed([b], lines);

        Assert.Equal([text], lines);
    }

    [Theory]
    [InlineData(15, "ascii")]
    [InlineData(65537, "ascii")]
    [InlineData(256, "ebcdic")]
    public void Constructor_BadOptions_ArgumentException(int maxLineLength, string encoding)
    {
        var e = Assert.Throws<ArgumentException>(() => new LineFramer(new LineFramerOptions { MaxLineLength = maxLineLength, Encoding = encoding }));

        Assert.Contains(maxLineLength is < 16 or > 65536 ? "maximum line length" : "encoding", e.Message, StringComparison.Ordinal);
    }

    private static (List<string> Lines, LineFramer Framer) Feed(LineFramerOptions options, string latin1Text)
    {
        var framer = new LineFramer(options);
        var lines = new List<string>();
        var bytes = options.Encoding is "utf-8" ? Encoding.UTF8.GetBytes(latin1Text) : Encoding.Latin1.GetBytes(latin1Text);
        framer.Feed(bytes, lines);
        return (lines, framer);
    }
}
