using System.Text.RegularExpressions;
using EquipmentIoT.EdgeAgent.Profiles;

namespace EquipmentIoT.EdgeAgent.Adapters.Serial;

/// <summary>A field read as a number: value = raw × <see cref="Scale"/> + <see cref="Offset"/>.</summary>
public sealed partial class SerialMetricRule : ProfileNode
{
    /// <summary>The key, column or group name.</summary>
    public string Field { get; set; } = "";

    /// <summary>The metric name (default: the field).</summary>
    public string? Name { get; set; }

    /// <summary>Unit text, e.g. "Cel", "%".</summary>
    public string? Unit { get; set; }

    /// <summary>Multiplier applied to the raw number.</summary>
    public double Scale { get; set; } = 1;

    /// <summary>Added after scaling.</summary>
    public double Offset { get; set; }

    /// <summary>The name the metric is published under.</summary>
    public string MetricName => string.IsNullOrEmpty(Name) ? Field : Name;

    /// <inheritdoc/>
    public override IEnumerable<ProfileError> Validate()
    {
        if (string.IsNullOrEmpty(Field)) yield return Error("metric: 'field' is required");
        // Telemetry SPEC §metrics: 1–64 of [A-Za-z0-9._:-].
        else if (!MetricNamePattern().IsMatch(MetricName)) yield return Error($"metric name '{MetricName}' must be 1–64 of A-Z a-z 0-9 . _ : -");
        if (UnitError(Unit, $"metric '{MetricName}'") is { } unit) yield return unit;
        if (!double.IsFinite(Scale) || Scale == 0) yield return Error("metric: 'scale' must be a finite, non-zero number");
        if (!double.IsFinite(Offset)) yield return Error("metric: 'offset' must be a finite number");
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex MetricNamePattern();
}

/// <summary>A field holding a state machine's state.</summary>
public sealed class SerialStateRule : ProfileNode
{
    /// <summary>The key, column or group name.</summary>
    public string Field { get; set; } = "";

    /// <summary>Which state machine ("state" by default; a device may have several, e.g. "gantry").</summary>
    public string? Name { get; set; }

    /// <summary>Device value → state name; unmapped values pass through lower-cased.</summary>
    public Dictionary<string, string> Map { get; set; } = [];

    /// <summary>The state machine's name.</summary>
    public string StateName => string.IsNullOrEmpty(Name) ? "state" : Name;

    /// <inheritdoc/>
    public override IEnumerable<ProfileError> Validate()
    {
        if (string.IsNullOrEmpty(Field)) yield return Error("state: 'field' is required");
        if (StateName.Length > 64) yield return Error("state: 'name' is longer than 64 characters");
        foreach (var (from, to) in Map)
        {
            if (string.IsNullOrWhiteSpace(to)) yield return Error($"state: 'map' sends '{from}' to an empty state");
        }
    }
}

/// <summary>A field holding a fault code; some values mean "no fault".</summary>
public sealed class SerialFaultRule : ProfileNode
{
    /// <summary>The key, column or group name.</summary>
    public string Field { get; set; } = "";

    /// <summary>Values meaning "no fault" (compared after trimming, case-sensitive).</summary>
    public List<string> Clear { get; set; } = ["", "0", "OK"];

    /// <summary>Code → text; a code not listed has no text.</summary>
    public Dictionary<string, string> Text { get; set; } = [];

    /// <summary>Severity given to every fault of this field.</summary>
    public string Severity { get; set; } = "major";

    /// <inheritdoc/>
    public override IEnumerable<ProfileError> Validate()
    {
        if (string.IsNullOrEmpty(Field)) yield return Error("fault: 'field' is required");
        if (string.IsNullOrWhiteSpace(Severity)) yield return Error("fault: 'severity' must not be empty");
        foreach (var (code, text) in Text)
        {
            if (text is null || text.Length > 1024) yield return Error($"fault: text of '{code}' must be 1–1024 characters");
        }
    }
}
