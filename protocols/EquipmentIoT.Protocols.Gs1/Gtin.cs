using System.Globalization;

namespace EquipmentIoT.Protocols.Gs1;

/// <summary>
/// A Global Trade Item Number, the device identifier (DI) of a GS1 UDI. GTIN-8, -12, -13 and -14 are all
/// held as 14 digits, right-justified with leading zeros: the form AI (01) carries (format N14) and the one GS1
/// asks databases to store. The last digit is the mod-10 check digit (General Specifications §7.9.1).
/// </summary>
public sealed record Gtin
{
    /// <summary>Digits in the 14-digit form.</summary>
    public const int Length = 14;

    private Gtin(string value) => Value = value;

    /// <summary>The GTIN as 14 digits, check digit last.</summary>
    public string Value { get; }

    /// <summary>The check digit (the last of <see cref="Value"/>).</summary>
    public int CheckDigit => Value[Length - 1] - '0';

    /// <summary>
    /// Reads a GTIN-8, -12, -13 or -14 (digits only) and verifies its check digit. Reasons look like
    /// <c>GTIN: check digit is 3, expected 2</c> or <c>GTIN at offset 4: character 'A' is not a digit</c>.
    /// </summary>
    public static Gs1Result<Gtin> Parse(string? text)
    {
        var digits = (text ?? "").AsSpan();
        if (digits.Length is not (8 or 12 or 13 or 14))
            return Gs1Result<Gtin>.Fail(string.Create(CultureInfo.InvariantCulture, $"GTIN: {digits.Length} characters; a GTIN has 8, 12, 13 or 14 digits"));
        var gtin = Read(Pad(digits), out var problem);
        // Offsets are reported in the text given, not in the zero-padded form.
        return gtin is null
            ? Gs1Result<Gtin>.Fail(problem.Describe("GTIN", digits.Length - Length))
            : Gs1Result<Gtin>.Ok(gtin);
    }

    /// <summary>
    /// Builds a GTIN from its digits without the check digit (7, 11, 12 or 13 of them) by computing the check
    /// digit, as a manufacturer does when assigning one.
    /// </summary>
    public static Gs1Result<Gtin> FromDigitsWithoutCheckDigit(string? digits)
    {
        var payload = (digits ?? "").AsSpan();
        if (payload.Length is not (7 or 11 or 12 or 13))
            return Gs1Result<Gtin>.Fail(string.Create(CultureInfo.InvariantCulture, $"GTIN: {payload.Length} characters without the check digit; expected 7, 11, 12 or 13 digits"));
        var bad = Gs1Characters.IndexOfNonDigit(payload);
        if (bad >= 0)
            return Gs1Result<Gtin>.Fail(string.Create(CultureInfo.InvariantCulture, $"GTIN at offset {bad}: character {Gs1Characters.Describe(payload[bad])} is not a digit"));
        var check = (char)('0' + Gs1CheckDigit.Compute(payload));
        return Gs1Result<Gtin>.Ok(new Gtin(string.Concat(Pad(payload, Length - 1), check.ToString())));
    }

    /// <summary>The 14 digits.</summary>
    public override string ToString() => Value;

    /// <summary>Checks exactly 14 characters: digits with a correct check digit; the offset of a problem is into them.</summary>
    internal static Gtin? Read(ReadOnlySpan<char> digits, out Gs1Problem problem)
    {
        if (digits.Length != Length)
        {
            problem = new Gs1Problem(string.Create(CultureInfo.InvariantCulture, $"value has {digits.Length} characters, expected {Length}"), 0);
            return null;
        }
        var bad = Gs1Characters.IndexOfNonDigit(digits);
        if (bad >= 0)
        {
            problem = new Gs1Problem($"character {Gs1Characters.Describe(digits[bad])} is not a digit", bad);
            return null;
        }
        var expected = Gs1CheckDigit.Compute(digits[..^1]);
        var actual = digits[^1] - '0';
        if (actual != expected)
        {
            problem = new Gs1Problem(string.Create(CultureInfo.InvariantCulture, $"check digit is {actual}, expected {expected}"));
            return null;
        }
        problem = default;
        return new Gtin(digits.ToString());
    }

    private static string Pad(ReadOnlySpan<char> digits, int length = Length) => digits.ToString().PadLeft(length, '0');
}
