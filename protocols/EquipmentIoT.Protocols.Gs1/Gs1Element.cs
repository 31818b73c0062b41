namespace EquipmentIoT.Protocols.Gs1;

/// <summary>
/// One element string: an Application Identifier and its data field, exactly as the barcode carries it (a date
/// stays "260115", a GTIN its 14 digits). Only this library's parser and <see cref="Create"/> make them, so
/// every instance has passed the AI's checks.
/// </summary>
public sealed record Gs1Element
{
    internal Gs1Element(Gs1ApplicationIdentifier ai, string value)
    {
        Ai = ai;
        Value = value;
    }

    /// <summary>The Application Identifier.</summary>
    public Gs1ApplicationIdentifier Ai { get; }

    /// <summary>The data field, without the AI and without any separator.</summary>
    public string Value { get; }

    /// <summary>
    /// Checks a data field for an AI (length, characters, check digit, date) and makes the element. Dates are
    /// checked with their century resolved against <paramref name="referenceDate"/> (§7.12). Offsets in the
    /// reason are into <paramref name="value"/>.
    /// </summary>
    public static Gs1Result<Gs1Element> Create(Gs1ApplicationIdentifier ai, string? value, DateOnly referenceDate)
    {
        ArgumentNullException.ThrowIfNull(ai);
        value ??= "";
        return Gs1ValueValidator.IsValid(ai, value, referenceDate, out var problem)
            ? Gs1Result<Gs1Element>.Ok(new Gs1Element(ai, value))
            : Gs1Result<Gs1Element>.Fail(problem.Describe($"AI ({ai.Code})", 0));
    }

    /// <summary>"(10)B-2026-0007": the human-readable form.</summary>
    public override string ToString() => $"({Ai.Code}){Value}";
}
