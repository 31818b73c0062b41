namespace EquipmentIoT.Protocols.Gs1;

/// <summary>
/// A GS1 Application Identifier this library reads and writes: its digits, data title, data kind and length
/// (GS1 General Specifications §3.2 and the AI definitions of §3.4–§3.6). These are the AIs a medical-device
/// UDI uses; any other AI is refused with a reason that names it.
/// </summary>
public sealed class Gs1ApplicationIdentifier
{
    private Gs1ApplicationIdentifier(string code, string dataTitle, Gs1DataKind kind, int maxLength, bool isPredefinedLength)
    {
        Code = code;
        DataTitle = dataTitle;
        Kind = kind;
        MaxLength = maxLength;
        IsPredefinedLength = isPredefinedLength;
    }

    /// <summary>AI (01) GTIN, N14 with check digit: the UDI device identifier.</summary>
    public static Gs1ApplicationIdentifier Gtin { get; } = new("01", "GTIN", Gs1DataKind.Gtin, 14, true);

    /// <summary>AI (10) batch or lot number, X..20 (§3.4.1).</summary>
    public static Gs1ApplicationIdentifier BatchLot { get; } = new("10", "BATCH/LOT", Gs1DataKind.Alphanumeric, 20, false);

    /// <summary>AI (11) production date, N6 YYMMDD (§3.4.2).</summary>
    public static Gs1ApplicationIdentifier ProductionDate { get; } = new("11", "PROD DATE", Gs1DataKind.Date, 6, true);

    /// <summary>AI (17) expiration date, N6 YYMMDD.</summary>
    public static Gs1ApplicationIdentifier ExpiryDate { get; } = new("17", "USE BY OR EXPIRY", Gs1DataKind.Date, 6, true);

    /// <summary>AI (21) serial number, X..20 (§3.5.2).</summary>
    public static Gs1ApplicationIdentifier Serial { get; } = new("21", "SERIAL", Gs1DataKind.Alphanumeric, 20, false);

    /// <summary>AI (240) additional product identification assigned by the manufacturer, X..30.</summary>
    public static Gs1ApplicationIdentifier AdditionalId { get; } = new("240", "ADDITIONAL ID", Gs1DataKind.Alphanumeric, 30, false);

    /// <summary>AI (30) variable count of items, N..8.</summary>
    public static Gs1ApplicationIdentifier Count { get; } = new("30", "VAR. COUNT", Gs1DataKind.Numeric, 8, false);

    /// <summary>Every AI this library supports. No code is a prefix of another, so element strings split without look-ahead.</summary>
    public static IReadOnlyList<Gs1ApplicationIdentifier> Supported { get; } =
        Array.AsReadOnly([Gtin, BatchLot, ProductionDate, ExpiryDate, Serial, AdditionalId, Count]);

    /// <summary>The AI digits, e.g. "01" or "240".</summary>
    public string Code { get; }

    /// <summary>The data title GS1 gives it for labels, e.g. "BATCH/LOT".</summary>
    public string DataTitle { get; }

    /// <summary>How the data field is written and checked.</summary>
    public Gs1DataKind Kind { get; }

    /// <summary>The length of a predefined-length field, or the maximum of a variable-length one.</summary>
    public int MaxLength { get; }

    /// <summary>
    /// True for the AIs of Figure 7.8.5-2 (predefined length: 01, 11, 17 here), whose field ends by its
    /// length; every other field ends at an FNC1/GS separator or at the end of the data.
    /// </summary>
    public bool IsPredefinedLength { get; }

    /// <summary>The supported AI with exactly these digits, or null.</summary>
    public static Gs1ApplicationIdentifier? Find(ReadOnlySpan<char> code)
    {
        foreach (var ai in Supported)
        {
            if (code.SequenceEqual(ai.Code)) return ai;
        }
        return null;
    }

    /// <summary>The supported AI that <paramref name="text"/> starts with, or null.</summary>
    internal static Gs1ApplicationIdentifier? StartOf(ReadOnlySpan<char> text)
    {
        foreach (var ai in Supported)
        {
            if (text.StartsWith(ai.Code, StringComparison.Ordinal)) return ai;
        }
        return null;
    }

    /// <summary>"(01)" and so on, as the human-readable form shows it.</summary>
    public override string ToString() => $"({Code})";
}
