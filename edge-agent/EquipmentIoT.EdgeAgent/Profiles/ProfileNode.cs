namespace EquipmentIoT.EdgeAgent.Profiles;

/// <summary>
/// A part of a device profile file. The loader records the line each node starts on, so that an error
/// found after parsing (a bad regular expression, a register out of range) still names the file and line.
/// </summary>
public abstract class ProfileNode
{
    /// <summary>The 1-based line of the profile file this node starts on (0 when built in code).</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public int Line { get; set; }

    /// <summary>Problems with this node and its children; empty when it is usable.</summary>
    public virtual IEnumerable<ProfileError> Validate() => [];

    /// <summary>An error at this node's line.</summary>
    protected ProfileError Error(string message) => new(Line, message);

    /// <summary>An error when <paramref name="unit"/> is set but is not a unit the telemetry envelope carries.</summary>
    protected ProfileError? UnitError(string? unit, string label) =>
        unit is null || EquipmentIoT.Protocols.Telemetry.Model.TelemetryNames.IsValidUnit(unit)
            ? null
            : Error($"{label}: 'unit' \"{unit}\" must be a UCUM code of {EquipmentIoT.Protocols.Telemetry.Model.TelemetryNames.UnitRule} (e.g. Cel for °C, K, %, [psi], L/min, ppm, W)");
}

/// <summary>One problem in a profile file: the line (1-based, 0 when unknown) and what is wrong.</summary>
public sealed record ProfileError(int Line, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Line > 0 ? $"line {Line}: {Message}" : Message;
}
