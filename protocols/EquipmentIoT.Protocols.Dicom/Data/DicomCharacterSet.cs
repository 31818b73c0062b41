using System.Text;

namespace EquipmentIoT.Protocols.Dicom.Data;

/// <summary>
/// The repertoire named by Specific Character Set (0008,0005), PS3.5 §6.1 and PS3.3 C.12.1.1.2, for the
/// single-byte and multi-byte sets without code extensions: the default repertoire (ISO_IR 6, also an
/// empty or absent value), ISO_IR 100 (Latin-1), ISO_IR 192 (UTF-8), GB18030 and GBK. ISO 2022 code
/// extensions are not supported: such text is read with the default repertoire and
/// <see cref="IsSupported"/> is false. Character sets apply to SH, LO, ST, LT, PN, UC and UT only.
/// </summary>
public sealed class DicomCharacterSet
{
    // First of the static initializers (they run in textual order): GB18030 and GBK are code pages,
    // available with InvariantGlobalization once the provider is registered.
    private static readonly bool CodePagesRegistered = RegisterCodePages();

    private static readonly Encoding Ascii = Encoding.GetEncoding("us-ascii", EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);

    private DicomCharacterSet(string term, Encoding encoding, bool supported)
    {
        Term = term;
        Encoding = encoding;
        IsSupported = supported;
    }

    /// <summary>The default repertoire (ISO_IR 6, ASCII).</summary>
    public static DicomCharacterSet Default { get; } = new("ISO_IR 6", Ascii, true);

    /// <summary>ISO_IR 100: ISO 8859-1 (Latin alphabet No. 1).</summary>
    public static DicomCharacterSet Latin1 { get; } = new("ISO_IR 100", Encoding.Latin1, true);

    /// <summary>ISO_IR 192: Unicode in UTF-8.</summary>
    public static DicomCharacterSet Utf8 { get; } = new("ISO_IR 192", new UTF8Encoding(false, false), true);

    /// <summary>GB18030 (Chinese, a superset of GBK and ASCII).</summary>
    public static DicomCharacterSet Gb18030 { get; } = new("GB18030", Encoding.GetEncoding(54936), true);

    /// <summary>GBK (Chinese, a subset of GB18030).</summary>
    public static DicomCharacterSet Gbk { get; } = new("GBK", Encoding.GetEncoding(936), true);

    /// <summary>The defined term, e.g. "ISO_IR 192".</summary>
    public string Term { get; }

    /// <summary>The .NET encoding of the repertoire.</summary>
    public Encoding Encoding { get; }

    /// <summary>False when the value named something this library does not implement (read with the default repertoire).</summary>
    public bool IsSupported { get; }

    /// <summary>
    /// The character set a (0008,0005) value names. Values are backslash-separated; a single value is used
    /// as it is. With several values (ISO 2022 code extensions) only a first value without extensions is
    /// honoured and the result is marked unsupported.
    /// </summary>
    public static DicomCharacterSet FromSpecificCharacterSet(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return Default;
        var terms = value.Split('\\');
        var first = FromTerm(terms[0].Trim());
        if (terms.Length == 1) return first;
        return new DicomCharacterSet(value.Trim(), first.Encoding, false);
    }

    private static DicomCharacterSet FromTerm(string term) => term switch
    {
        "" or "ISO_IR 6" => Default,
        "ISO_IR 100" => Latin1,
        "ISO_IR 192" => Utf8,
        "GB18030" => Gb18030,
        "GBK" => Gbk,
        _ => new DicomCharacterSet(term, Ascii, false),
    };

    /// <inheritdoc/>
    public override string ToString() => Term;

    private static bool RegisterCodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return true;
    }
}
