using System.Globalization;

namespace EquipmentIoT.Protocols.Gs1;

/// <summary>
/// Reads GS1 element strings (GS1 General Specifications §3, §7.8) in the two forms a UDI reaches us: the
/// human-readable form printed under a barcode, and the element string a scanner transmits. Untrusted text
/// in, a <see cref="Gs1Result{T}"/> out: every refusal is a reason naming the AI and/or the character offset
/// in the text given, never an exception.
/// </summary>
public static class Gs1Parser
{
    /// <summary>
    /// The longest text read. A GS1-128 symbol holds 48 data characters and a GS1 DataMatrix about 2300
    /// alphanumerics, but the seven AIs supported here fit in well under 200; 512 bounds the work a bad scan causes.
    /// </summary>
    public const int MaxInputLength = 512;

    /// <summary>ASCII GS (0x1D): how a scanner transmits the FNC1 that ends a variable-length field.</summary>
    public const char GroupSeparator = Gs1Characters.GroupSeparator;

    /// <summary>
    /// Reads either form: text opening with "(" as human-readable, anything else as an element string
    /// (no AI starts with "(").
    /// </summary>
    /// <param name="text">The scanned or typed text.</param>
    /// <param name="referenceDate">The date two-digit years are resolved against (§7.12), usually today from the caller's clock.</param>
    public static Gs1Result<Gs1ElementString> Parse(string? text, DateOnly referenceDate) =>
        Refuse(text) is { } error ? Gs1Result<Gs1ElementString>.Fail(error)
        : text![0] == '(' ? Gs1HumanReadableReader.Read(text, referenceDate)
        : Gs1ElementStringReader.Read(text, referenceDate);

    /// <summary>
    /// Reads the human-readable form, e.g. <c>(01)09506000134352(11)260115(10)B-2026-0007(21)0001</c>.
    /// A field ends where "(" + 2 to 4 digits + ")" begins, so a value containing such a group is split there.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="referenceDate">The date two-digit years are resolved against (§7.12).</param>
    public static Gs1Result<Gs1ElementString> ParseHumanReadable(string? text, DateOnly referenceDate) =>
        Refuse(text) is { } error ? Gs1Result<Gs1ElementString>.Fail(error) : Gs1HumanReadableReader.Read(text!, referenceDate);

    /// <summary>
    /// Reads an element string as a scanner transmits it: optionally a symbology identifier ]C1, ]e0, ]d2 or
    /// ]Q3 (dropped), then AIs and data, with GS (0x1D) after each variable-length field that is not last.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="referenceDate">The date two-digit years are resolved against (§7.12).</param>
    public static Gs1Result<Gs1ElementString> ParseElementString(string? text, DateOnly referenceDate) =>
        Refuse(text) is { } error ? Gs1Result<Gs1ElementString>.Fail(error) : Gs1ElementStringReader.Read(text!, referenceDate);

    private static string? Refuse(string? text) =>
        string.IsNullOrEmpty(text) ? "empty input"
        : text.Length > MaxInputLength ? string.Create(CultureInfo.InvariantCulture, $"input has {text.Length} characters, more than {MaxInputLength}")
        : null;
}
