using System.Globalization;

namespace EquipmentIoT.Protocols.LineProtocol;

/// <summary>
/// One field value with its line protocol type. A small struct so that building points for the writer
/// does not box numbers.
/// </summary>
public readonly record struct LineFieldValue
{
    private readonly ulong _bits;
    private readonly string? _text;

    private LineFieldValue(LineFieldKind kind, ulong bits, string? text)
    {
        Kind = kind;
        _bits = bits;
        _text = text;
    }

    /// <summary>The type of the value, which decides how it is written.</summary>
    public LineFieldKind Kind { get; }

    /// <summary>The float value; only meaningful when <see cref="Kind"/> is <see cref="LineFieldKind.Float"/>.</summary>
    public double FloatValue => BitConverter.UInt64BitsToDouble(_bits);

    /// <summary>The integer value; only meaningful when <see cref="Kind"/> is <see cref="LineFieldKind.Integer"/>.</summary>
    public long IntegerValue => unchecked((long)_bits);

    /// <summary>The unsigned value; only meaningful when <see cref="Kind"/> is <see cref="LineFieldKind.UnsignedInteger"/>.</summary>
    public ulong UnsignedValue => _bits;

    /// <summary>The boolean value; only meaningful when <see cref="Kind"/> is <see cref="LineFieldKind.Boolean"/>.</summary>
    public bool BooleanValue => _bits != 0;

    /// <summary>The string value; empty unless <see cref="Kind"/> is <see cref="LineFieldKind.String"/>.</summary>
    public string StringValue => _text ?? string.Empty;

    /// <summary>A float field. NaN and infinities are accepted here but refused by the writer.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The field value.</returns>
    public static LineFieldValue Float(double value) => new(LineFieldKind.Float, BitConverter.DoubleToUInt64Bits(value), null);

    /// <summary>A signed integer field (<c>42i</c>).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The field value.</returns>
    public static LineFieldValue Integer(long value) => new(LineFieldKind.Integer, unchecked((ulong)value), null);

    /// <summary>An unsigned integer field (<c>42u</c>).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The field value.</returns>
    public static LineFieldValue Unsigned(ulong value) => new(LineFieldKind.UnsignedInteger, value, null);

    /// <summary>A boolean field.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The field value.</returns>
    public static LineFieldValue Boolean(bool value) => new(LineFieldKind.Boolean, value ? 1UL : 0UL, null);

    /// <summary>A string field.</summary>
    /// <param name="value">The value; newlines are refused by the writer.</param>
    /// <returns>The field value.</returns>
    public static LineFieldValue String(string value) => new(LineFieldKind.String, 0, value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>The value as it would look in a line, without escaping (for messages and test output).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Kind switch
    {
        LineFieldKind.Float => FloatValue.ToString("R", CultureInfo.InvariantCulture),
        LineFieldKind.Integer => IntegerValue.ToString(CultureInfo.InvariantCulture) + "i",
        LineFieldKind.UnsignedInteger => UnsignedValue.ToString(CultureInfo.InvariantCulture) + "u",
        LineFieldKind.Boolean => BooleanValue ? "true" : "false",
        _ => "\"" + StringValue + "\"",
    };
}
