using System.Globalization;

namespace EquipmentIoT.EdgeAgent.Adapters;

/// <summary>
/// Turns a device's raw number into the reading: raw × scale + offset, without the binary noise that arithmetic
/// adds (237 × 0.1 is 23.700000000000003 in doubles; the device meant 23.7). The result is rounded to the decimals
/// the scale and offset can express, beyond those of the raw value itself.
/// </summary>
public static class ReadingScale
{
    /// <summary>raw × <paramref name="scale"/> + <paramref name="offset"/>, rounded to what they can express.</summary>
    public static double Apply(double raw, double scale, double offset)
    {
        var value = raw * scale + offset;
        if (!double.IsFinite(value)) return value;
        var decimals = DecimalsOf(raw) + DecimalsOf(scale);
        decimals = Math.Max(decimals, DecimalsOf(offset));
        return decimals >= 15 ? value : Math.Round(value, decimals, MidpointRounding.ToEven);
    }

    /// <summary>A float32 register value as the decimal the device wrote (11.72f, not 11.720000267028809).</summary>
    public static double FromSingle(float value) =>
        float.IsFinite(value) ? double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : value;

    // Digits after the point in the shortest text that round-trips, e.g. 0.01 → 2, 237 → 0, 1e-5 → 5.
    private static int DecimalsOf(double value)
    {
        if (!double.IsFinite(value) || value == Math.Floor(value)) return 0;
        var text = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOfAny(['E', 'e']);
        var exponent = e >= 0 ? int.Parse(text.AsSpan(e + 1), CultureInfo.InvariantCulture) : 0;
        var mantissa = e >= 0 ? text[..e] : text;
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var fraction = point >= 0 ? mantissa.Length - point - 1 : 0;
        return Math.Clamp(fraction - exponent, 0, 15);
    }
}
