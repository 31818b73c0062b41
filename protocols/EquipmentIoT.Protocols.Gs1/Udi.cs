namespace EquipmentIoT.Protocols.Gs1;

/// <summary>
/// A medical-device Unique Device Identification in GS1 terms: the device identifier (DI) is the GTIN of AI
/// (01); the production identifiers (PI) are the production date (11), expiry date (17), batch/lot (10) and
/// serial number (21), each optional. Other AIs of the element string (240, 30) are not part of the UDI and
/// stay on the <see cref="Gs1ElementString"/>.
/// </summary>
public sealed record Udi
{
    private Udi(Gtin deviceIdentifier, Gs1Date? productionDate, Gs1Date? expiryDate, string? lot, string? serial)
    {
        DeviceIdentifier = deviceIdentifier;
        ProductionDate = productionDate;
        ExpiryDate = expiryDate;
        Lot = lot;
        Serial = serial;
    }

    /// <summary>The DI: the GTIN of AI (01).</summary>
    public Gtin DeviceIdentifier { get; }

    /// <summary>AI (11), or null.</summary>
    public Gs1Date? ProductionDate { get; }

    /// <summary>AI (17), or null.</summary>
    public Gs1Date? ExpiryDate { get; }

    /// <summary>AI (10), or null.</summary>
    public string? Lot { get; }

    /// <summary>AI (21), or null.</summary>
    public string? Serial { get; }

    /// <summary>True when at least one production identifier is present.</summary>
    public bool HasProductionIdentifier => ProductionDate is not null || ExpiryDate is not null || Lot is not null || Serial is not null;

    /// <summary>Makes a UDI from its parts; lot and serial are checked as AI (10) and (21) fields (1–20 characters of set 82).</summary>
    public static Gs1Result<Udi> Create(Gtin deviceIdentifier, Gs1Date? productionDate = null, Gs1Date? expiryDate = null, string? lot = null, string? serial = null)
    {
        ArgumentNullException.ThrowIfNull(deviceIdentifier);
        // Lot and serial have no date in them, so the reference date plays no part in their checks.
        foreach (var (ai, value) in new[] { (Gs1ApplicationIdentifier.BatchLot, lot), (Gs1ApplicationIdentifier.Serial, serial) })
        {
            if (value is not null && Gs1Element.Create(ai, value, default) is { Success: false } refused)
                return Gs1Result<Udi>.Fail(refused.Error);
        }
        return Gs1Result<Udi>.Ok(new Udi(deviceIdentifier, productionDate, expiryDate, lot, serial));
    }

    /// <summary>The UDI in an element string; refused when AI (01) is missing.</summary>
    /// <param name="elements">A parsed element string.</param>
    /// <param name="referenceDate">The date two-digit years are resolved against (§7.12); use the one the string was parsed with.</param>
    public static Gs1Result<Udi> FromElementString(Gs1ElementString elements, DateOnly referenceDate)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var gtin = elements.Find(Gs1ApplicationIdentifier.Gtin);
        if (gtin is null) return Gs1Result<Udi>.Fail("AI (01) is missing: a UDI needs the GTIN as its device identifier");

        var production = ReadDate(elements, Gs1ApplicationIdentifier.ProductionDate, referenceDate, out var error);
        var expiry = error is null ? ReadDate(elements, Gs1ApplicationIdentifier.ExpiryDate, referenceDate, out error) : null;
        if (error is not null) return Gs1Result<Udi>.Fail(error);
        return Create(Gtin.Parse(gtin).Value, production, expiry,
            elements.Find(Gs1ApplicationIdentifier.BatchLot), elements.Find(Gs1ApplicationIdentifier.Serial));
    }

    /// <summary>Parses either text form (see <see cref="Gs1Parser.Parse"/>) and takes the UDI from it.</summary>
    public static Gs1Result<Udi> Parse(string? text, DateOnly referenceDate)
    {
        var parsed = Gs1Parser.Parse(text, referenceDate);
        return parsed.Success ? FromElementString(parsed.Value, referenceDate) : Gs1Result<Udi>.Fail(parsed.Error);
    }

    /// <summary>
    /// The element string of this UDI in a fixed order: (01), (11), (17), (10), (21) — predefined-length fields
    /// first, so only the separator between lot and serial is needed.
    /// </summary>
    public Gs1ElementString ToElementString()
    {
        var elements = new List<Gs1Element> { new(Gs1ApplicationIdentifier.Gtin, DeviceIdentifier.Value) };
        if (ProductionDate is not null) elements.Add(new(Gs1ApplicationIdentifier.ProductionDate, ProductionDate.ToYymmdd()));
        if (ExpiryDate is not null) elements.Add(new(Gs1ApplicationIdentifier.ExpiryDate, ExpiryDate.ToYymmdd()));
        if (Lot is not null) elements.Add(new(Gs1ApplicationIdentifier.BatchLot, Lot));
        if (Serial is not null) elements.Add(new(Gs1ApplicationIdentifier.Serial, Serial));
        return Gs1ElementString.FromChecked(elements);
    }

    /// <summary>The human-readable form of <see cref="ToElementString"/>.</summary>
    public override string ToString() => Gs1Formatter.FormatHumanReadable(ToElementString());

    private static Gs1Date? ReadDate(Gs1ElementString elements, Gs1ApplicationIdentifier ai, DateOnly referenceDate, out string? error)
    {
        error = null;
        var value = elements.Find(ai);
        if (value is null) return null;
        var date = Gs1Date.Read(value, referenceDate, out var problem);
        if (date is null) error = problem.Describe($"AI ({ai.Code})", 0);
        return date;
    }
}
