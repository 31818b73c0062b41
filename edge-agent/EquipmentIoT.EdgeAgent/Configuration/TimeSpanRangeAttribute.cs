using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace EquipmentIoT.EdgeAgent.Configuration;

/// <summary>
/// A TimeSpan setting between two bounds (inclusive), e.g. <c>[TimeSpanRange("00:00:01", "01:00:00")]</c>.
/// Used instead of <c>[Range(typeof(TimeSpan), …)]</c>, whose type conversion through reflection the
/// trimmer cannot follow in the published single-file agent.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class TimeSpanRangeAttribute : ValidationAttribute
{
    /// <summary>Bounds in the invariant "c" format ([d.]hh:mm:ss[.fffffff]).</summary>
    public TimeSpanRangeAttribute(string minimum, string maximum)
        : base("{0} must be between {1} and {2}")
    {
        Minimum = TimeSpan.ParseExact(minimum, "c", CultureInfo.InvariantCulture);
        Maximum = TimeSpan.ParseExact(maximum, "c", CultureInfo.InvariantCulture);
    }

    /// <summary>The smallest allowed value.</summary>
    public TimeSpan Minimum { get; }

    /// <summary>The largest allowed value.</summary>
    public TimeSpan Maximum { get; }

    /// <inheritdoc/>
    public override bool IsValid(object? value) => value switch
    {
        null => true,
        TimeSpan t => t >= Minimum && t <= Maximum,
        _ => false,
    };

    /// <inheritdoc/>
    public override string FormatErrorMessage(string name) =>
        string.Format(CultureInfo.InvariantCulture, ErrorMessageString, name, Minimum, Maximum);
}
