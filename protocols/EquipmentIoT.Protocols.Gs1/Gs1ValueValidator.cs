using System.Globalization;

namespace EquipmentIoT.Protocols.Gs1;

/// <summary>Checks one data field against its AI: length, characters, and the check digit or date.</summary>
internal static class Gs1ValueValidator
{
    /// <summary>True when <paramref name="value"/> is a valid field of <paramref name="ai"/>; otherwise the problem, its offset into the field.</summary>
    public static bool IsValid(Gs1ApplicationIdentifier ai, ReadOnlySpan<char> value, DateOnly referenceDate, out Gs1Problem problem)
    {
        if (ai.IsPredefinedLength && value.Length != ai.MaxLength)
        {
            problem = new Gs1Problem(string.Create(CultureInfo.InvariantCulture, $"value has {value.Length} characters, expected {ai.MaxLength}"), 0);
            return false;
        }
        if (value.IsEmpty)
        {
            problem = new Gs1Problem("empty value", 0);
            return false;
        }
        if (value.Length > ai.MaxLength)
        {
            problem = new Gs1Problem(string.Create(CultureInfo.InvariantCulture, $"value longer than {ai.MaxLength} characters"));
            return false;
        }

        switch (ai.Kind)
        {
            case Gs1DataKind.Gtin:
                return Gtin.Read(value, out problem) is not null;
            case Gs1DataKind.Date:
                return Gs1Date.Read(value, referenceDate, out problem) is not null;
            case Gs1DataKind.Numeric:
                var nonDigit = Gs1Characters.IndexOfNonDigit(value);
                problem = nonDigit < 0 ? default : new Gs1Problem($"character {Gs1Characters.Describe(value[nonDigit])} is not a digit", nonDigit);
                return nonDigit < 0;
            default:
                var outside = Gs1Characters.IndexOfNotInSet82(value);
                problem = outside < 0 ? default : new Gs1Problem($"character {Gs1Characters.Describe(value[outside])} is not in GS1 character set 82", outside);
                return outside < 0;
        }
    }
}
