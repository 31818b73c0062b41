using System.Text;
using System.Text.Unicode;

namespace EquipmentIoT.Protocols.Serial.Framing;

/// <summary>
/// The text encodings lines may use. Decoding never inserts U+FFFD: a line with a byte sequence the
/// encoding does not define is rejected (validated for ascii and utf-8, through a recording
/// <see cref="DecoderFallback"/> for gb18030; latin1 defines every byte).
/// </summary>
public static class LineEncodings
{
    /// <summary>The names accepted (case-insensitive); "utf8", "us-ascii" and "iso-8859-1" are aliases.</summary>
    public static IReadOnlyList<string> Names { get; } = ["ascii", "utf-8", "latin1", "gb18030"];

    /// <summary>True when <paramref name="name"/> is one of <see cref="Names"/> or an alias.</summary>
    public static bool IsSupported(string? name) => Canonical(name) is not null;

    /// <summary>The canonical name for <paramref name="name"/>, or null when unsupported.</summary>
    public static string? Canonical(string? name) => name?.Trim().ToUpperInvariant() switch
    {
        "ASCII" or "US-ASCII" => "ascii",
        "UTF-8" or "UTF8" => "utf-8",
        "LATIN1" or "LATIN-1" or "ISO-8859-1" or "ISO8859-1" => "latin1",
        "GB18030" => "gb18030",
        _ => null,
    };

    internal static ILineDecoder CreateDecoder(string name) => Canonical(name) switch
    {
        "ascii" => new AsciiDecoder(),
        "utf-8" => new Utf8Decoder(),
        "latin1" => new Latin1Decoder(),
        "gb18030" => new Gb18030Decoder(),
        _ => throw new ArgumentException($"encoding '{name}' is not supported; use one of {string.Join(", ", Names)}", nameof(name)),
    };

    /// <summary>Bytes of one line to text, or null when the bytes are not valid in the encoding.</summary>
    internal interface ILineDecoder
    {
        string? Decode(ReadOnlySpan<byte> line);
    }

    private sealed class AsciiDecoder : ILineDecoder
    {
        public string? Decode(ReadOnlySpan<byte> line) => Ascii.IsValid(line) ? Encoding.ASCII.GetString(line) : null;
    }

    private sealed class Utf8Decoder : ILineDecoder
    {
        public string? Decode(ReadOnlySpan<byte> line) => Utf8.IsValid(line) ? Encoding.UTF8.GetString(line) : null;
    }

    private sealed class Latin1Decoder : ILineDecoder
    {
        public string? Decode(ReadOnlySpan<byte> line) => Encoding.Latin1.GetString(line);
    }

    // GB18030 (code page 54936) comes from the code-pages provider of the shared framework, asked directly
    // so that nothing is registered process-wide.
    private sealed class Gb18030Decoder : ILineDecoder
    {
        private readonly RecordingFallback _fallback = new();
        private readonly Encoding _encoding;

        public Gb18030Decoder() =>
            _encoding = CodePagesEncodingProvider.Instance.GetEncoding(54936, EncoderFallback.ExceptionFallback, _fallback)
                ?? throw new InvalidOperationException("code page 54936 (GB18030) is not available");

        public string? Decode(ReadOnlySpan<byte> line)
        {
            _fallback.Rejected = false;
            var text = _encoding.GetString(line);
            return _fallback.Rejected ? null : text;
        }
    }

    // Notes that an invalid sequence was met and substitutes nothing.
    private sealed class RecordingFallback : DecoderFallback
    {
        public bool Rejected { get; set; }

        public override int MaxCharCount => 0;

        public override DecoderFallbackBuffer CreateFallbackBuffer() => new RecordingBuffer(this);

        private sealed class RecordingBuffer(RecordingFallback owner) : DecoderFallbackBuffer
        {
            public override int Remaining => 0;

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                owner.Rejected = true;
                return false;
            }

            public override char GetNextChar() => '\0';

            public override bool MovePrevious() => false;
        }
    }
}
