using System.Globalization;

namespace EquipmentIoT.Protocols.Telemetry.Model;

/// <summary>The kind of an <see cref="EventValue"/>: one of JSON's scalar types.</summary>
public enum EventValueKind
{
    /// <summary>A JSON string.</summary>
    Text,
    /// <summary>A JSON number (finite).</summary>
    Number,
    /// <summary>A JSON true/false.</summary>
    Boolean,
}

/// <summary>One attribute value of an event: a string, a finite number or a boolean (SPEC.md §events, <c>data</c>).</summary>
public readonly struct EventValue : IEquatable<EventValue>
{
    private readonly string? _text;
    private readonly double _number;

    private EventValue(EventValueKind kind, string? text, double number)
    {
        Kind = kind;
        _text = text;
        _number = number;
    }

    /// <summary>Which JSON type this value is.</summary>
    public EventValueKind Kind { get; }

    /// <summary>The string; throws unless <see cref="Kind"/> is <see cref="EventValueKind.Text"/>.</summary>
    public string AsString => Kind == EventValueKind.Text ? _text! : throw new InvalidOperationException($"event value is a {Kind}");

    /// <summary>The number; throws unless <see cref="Kind"/> is <see cref="EventValueKind.Number"/>.</summary>
    public double AsNumber => Kind == EventValueKind.Number ? _number : throw new InvalidOperationException($"event value is a {Kind}");

    /// <summary>The boolean; throws unless <see cref="Kind"/> is <see cref="EventValueKind.Boolean"/>.</summary>
    public bool AsBoolean => Kind == EventValueKind.Boolean ? _number != 0 : throw new InvalidOperationException($"event value is a {Kind}");

    /// <summary>A string value.</summary>
    public static EventValue FromString(string value) => new(EventValueKind.Text, value ?? throw new ArgumentNullException(nameof(value)), 0);

    /// <summary>A number value; NaN and infinities are refused because JSON cannot carry them.</summary>
    public static EventValue FromNumber(double value) => double.IsFinite(value)
        ? new(EventValueKind.Number, null, value)
        : throw new ArgumentOutOfRangeException(nameof(value), value, "event numbers must be finite");

    /// <summary>A boolean value.</summary>
    public static EventValue FromBoolean(bool value) => new(EventValueKind.Boolean, null, value ? 1 : 0);

    /// <summary>A string value.</summary>
    public static implicit operator EventValue(string value) => FromString(value);

    /// <summary>A number value.</summary>
    public static implicit operator EventValue(double value) => FromNumber(value);

    /// <summary>A number value.</summary>
    public static implicit operator EventValue(long value) => FromNumber(value);

    /// <summary>A boolean value.</summary>
    public static implicit operator EventValue(bool value) => FromBoolean(value);

    /// <inheritdoc/>
    public bool Equals(EventValue other) => Kind == other.Kind && _number.Equals(other._number) && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EventValue other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, _text, _number);

    /// <summary>Equality by kind and value.</summary>
    public static bool operator ==(EventValue left, EventValue right) => left.Equals(right);

    /// <summary>Inequality by kind and value.</summary>
    public static bool operator !=(EventValue left, EventValue right) => !left.Equals(right);

    /// <summary>The value as text (numbers in invariant round-trip form).</summary>
    public override string ToString() => Kind switch
    {
        EventValueKind.Text => _text!,
        EventValueKind.Number => _number.ToString("R", CultureInfo.InvariantCulture),
        _ => _number != 0 ? "true" : "false",
    };
}
