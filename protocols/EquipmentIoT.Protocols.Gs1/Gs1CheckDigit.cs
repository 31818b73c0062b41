namespace EquipmentIoT.Protocols.Gs1;

/// <summary>
/// The GS1 mod-10 check digit of GTIN, GLN, SSCC and the other numeric keys (General Specifications §7.9.1):
/// from the right, the digits are weighted 3, 1, 3, 1, … (the digit next to the check digit weighs 3), and the
/// check digit is what brings the weighted sum up to a multiple of ten.
/// </summary>
public static class Gs1CheckDigit
{
    /// <summary>The check digit (0–9) for the digits given, which must not include a check digit.</summary>
    /// <param name="digits">One or more ASCII digits.</param>
    /// <exception cref="ArgumentException">Empty, or a character that is not a digit (validate untrusted text first, or use <see cref="IsValid"/>).</exception>
    public static int Compute(ReadOnlySpan<char> digits)
    {
        if (digits.IsEmpty) throw new ArgumentException("At least one digit is needed.", nameof(digits));
        var bad = Gs1Characters.IndexOfNonDigit(digits);
        if (bad >= 0) throw new ArgumentException($"Character {Gs1Characters.Describe(digits[bad])} at index {bad} is not a digit.", nameof(digits));

        var sum = 0;
        var weight = 3;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            // Reduced modulo 10 as it goes, so no length can overflow it.
            sum = (sum + (digits[i] - '0') * weight) % 10;
            weight = 4 - weight;
        }
        return (10 - sum) % 10;
    }

    /// <summary>True when <paramref name="digitsWithCheckDigit"/> is at least two ASCII digits and its last digit is the check digit of the rest.</summary>
    public static bool IsValid(ReadOnlySpan<char> digitsWithCheckDigit) =>
        digitsWithCheckDigit.Length >= 2
        && Gs1Characters.IndexOfNonDigit(digitsWithCheckDigit) < 0
        && Compute(digitsWithCheckDigit[..^1]) == digitsWithCheckDigit[^1] - '0';
}
