using System.Text.RegularExpressions;
using EquipmentIoT.EdgeAgent.Profiles;
using EquipmentIoT.Protocols.Modbus;
using EquipmentIoT.Protocols.Modbus.Registers;
using YamlDotNet.Serialization;

namespace EquipmentIoT.EdgeAgent.Adapters.Modbus;

/// <summary>The type of a mapped value.</summary>
#pragma warning disable CA1720 // The members are named as the profile's 'type' values, which name the wire types.
public enum ModbusValueType
{
    /// <summary>A coil or discrete input.</summary>
    Bool,
    /// <summary>One register, signed.</summary>
    Int16,
    /// <summary>One register.</summary>
    UInt16,
    /// <summary>Two registers, signed.</summary>
    Int32,
    /// <summary>Two registers.</summary>
    UInt32,
    /// <summary>Two registers, IEEE 754.</summary>
    Float32,
    /// <summary>Four registers, signed.</summary>
    Int64,
    /// <summary>Four registers, IEEE 754.</summary>
    Float64,
}
#pragma warning restore CA1720

/// <summary>What a mapped value becomes.</summary>
public enum ModbusValueKind
{
    /// <summary>A metric on every poll.</summary>
    Metric,
    /// <summary>A state event when the value changes (named by 'states').</summary>
    State,
    /// <summary>Fault events (raised/cleared) when bits named in 'flags' change.</summary>
    Flags,
    /// <summary>A metric on every poll and one event per increment.</summary>
    Counter,
}

/// <summary>
/// One entry of the register map. <see cref="Address"/> is the 0-based address on the wire (the PDU's
/// address): the "register number" of device manuals in the 1-based 30001/40001 convention is address + 1
/// after the table prefix, so input register 30001 and holding register 40001 are both address 0.
/// </summary>
public sealed partial class ModbusRegisterMap : ProfileNode
{
    /// <summary>The metric, state machine or counter name.</summary>
    public string Name { get; set; } = "";

    /// <summary>1 coils, 2 discrete inputs, 3 holding registers, 4 input registers.</summary>
    public int Function { get; set; }

    /// <summary>0-based protocol address (0–65535).</summary>
    public int Address { get; set; }

    /// <summary>bool, int16, uint16, int32, uint32, float32, int64, float64; default bool for functions 1/2, uint16 for 3/4.</summary>
    public string? Type { get; set; }

    /// <summary>Overrides the profile's word order for this value.</summary>
    public string? WordOrder { get; set; }

    /// <summary>value = raw × scale + offset.</summary>
    public double Scale { get; set; } = 1;

    /// <summary>value = raw × scale + offset.</summary>
    public double Offset { get; set; }

    /// <summary>The metric's unit.</summary>
    public string? Unit { get; set; }

    /// <summary>metric (default), state, flags, counter.</summary>
    public string Kind { get; set; } = "metric";

    /// <summary>kind: state — raw value → state name.</summary>
    public Dictionary<long, string>? States { get; set; }

    /// <summary>kind: flags — bit number → fault.</summary>
    public Dictionary<int, ModbusFlagMap>? Flags { get; set; }

    /// <summary>kind: counter — the event type emitted once per increment (e.g. build.layer).</summary>
    public string? Event { get; set; }

    /// <summary>The parsed type.</summary>
    [YamlIgnore]
    public ModbusValueType ValueType => ParseType(Type ?? (Function is 1 or 2 ? "bool" : "uint16")) ?? ModbusValueType.UInt16;

    /// <summary>The parsed kind.</summary>
    [YamlIgnore]
    public ModbusValueKind ValueKind => ParseKind(Kind) ?? ModbusValueKind.Metric;

    /// <summary>The function code.</summary>
    [YamlIgnore]
    public ModbusFunctionCode FunctionCode => (ModbusFunctionCode)Function;

    /// <summary>How many registers (or bits) the value spans.</summary>
    [YamlIgnore]
    public int Count => ValueType switch
    {
        ModbusValueType.Bool or ModbusValueType.Int16 or ModbusValueType.UInt16 => 1,
        ModbusValueType.Int64 or ModbusValueType.Float64 => 4,
        _ => 2,
    };

    /// <summary>The word order in effect, given the profile's default.</summary>
    public ModbusWordOrder WordOrderOr(ModbusWordOrder fallback) => WordOrder is null ? fallback : ParseWordOrder(WordOrder) ?? fallback;

    internal static ModbusWordOrder? ParseWordOrder(string? text) => text switch
    {
        "big" => ModbusWordOrder.Big,
        "little" => ModbusWordOrder.Little,
        "bigByteSwap" => ModbusWordOrder.BigByteSwap,
        "littleByteSwap" => ModbusWordOrder.LittleByteSwap,
        _ => null,
    };

    private static ModbusValueKind? ParseKind(string? text) => text switch
    {
        "metric" => ModbusValueKind.Metric,
        "state" => ModbusValueKind.State,
        "flags" => ModbusValueKind.Flags,
        "counter" => ModbusValueKind.Counter,
        _ => null,
    };

    private static ModbusValueType? ParseType(string text) => text switch
    {
        "bool" => ModbusValueType.Bool,
        "int16" => ModbusValueType.Int16,
        "uint16" => ModbusValueType.UInt16,
        "int32" => ModbusValueType.Int32,
        "uint32" => ModbusValueType.UInt32,
        "float32" => ModbusValueType.Float32,
        "int64" => ModbusValueType.Int64,
        "float64" => ModbusValueType.Float64,
        _ => null,
    };

    [GeneratedRegex("^[A-Za-z0-9_.\\-]{1,64}$")]
    private static partial Regex NamePattern();

    /// <inheritdoc/>
    public override IEnumerable<ProfileError> Validate()
    {
        var label = string.IsNullOrEmpty(Name) ? "register" : $"register '{Name}'";
        if (!NamePattern().IsMatch(Name ?? "")) yield return Error($"{label}: 'name' must be 1–64 of A-Z a-z 0-9 _ . -");
        if (UnitError(Unit, label) is { } unit) yield return unit;
        if (Function is < 1 or > 4) yield return Error($"{label}: 'function' {Function} must be 1 (coils), 2 (discrete inputs), 3 (holding) or 4 (input registers)");
        if (Address is < 0 or > 65535) yield return Error($"{label}: 'address' {Address} must be between 0 and 65535 (0-based: register 40001 is address 0)");
        var type = ParseType(Type ?? (Function is 1 or 2 ? "bool" : "uint16"));
        if (type is null) { yield return Error($"{label}: 'type' '{Type}' must be bool, int16, uint16, int32, uint32, float32, int64 or float64"); yield break; }
        var bitFunction = Function is 1 or 2;
        if (bitFunction && type != ModbusValueType.Bool) yield return Error($"{label}: function {Function} reads bits: 'type' must be bool");
        if (!bitFunction && type == ModbusValueType.Bool) yield return Error($"{label}: 'type' bool needs function 1 or 2");
        if (Address is >= 0 and <= 65535 && Address + Count - 1 > 65535) yield return Error($"{label}: {Type} at address {Address} spans {Count} registers, past 65535");
        if (WordOrder is not null && ParseWordOrder(WordOrder) is null) yield return Error($"{label}: 'wordOrder' '{WordOrder}' must be big, little, bigByteSwap or littleByteSwap");
        if (!double.IsFinite(Scale) || Scale == 0) yield return Error($"{label}: 'scale' must be a finite number other than 0");
        if (!double.IsFinite(Offset)) yield return Error($"{label}: 'offset' must be finite");
        if (ParseKind(Kind) is null)
        {
            yield return Error($"{label}: 'kind' '{Kind}' must be metric, state, flags or counter");
            yield break;
        }

        var kind = ValueKind;
        var integer = type is not (ModbusValueType.Float32 or ModbusValueType.Float64);
        if (kind != ModbusValueKind.State && States is not null) yield return Error($"{label}: 'states' needs kind: state");
        if (kind != ModbusValueKind.Flags && Flags is not null) yield return Error($"{label}: 'flags' needs kind: flags");
        if (kind != ModbusValueKind.Counter && Event is not null) yield return Error($"{label}: 'event' needs kind: counter");
        switch (kind)
        {
            case ModbusValueKind.State:
                if (!integer) yield return Error($"{label}: a state needs an integer or bool type, not {Type}");
                if (States is null || States.Count == 0) yield return Error($"{label}: kind: state needs 'states' (value: name)");
                else if (States.Values.Any(string.IsNullOrWhiteSpace)) yield return Error($"{label}: every state needs a name");
                break;
            case ModbusValueKind.Flags:
                if (!integer || type is ModbusValueType.Int64) yield return Error($"{label}: flags need bool, (u)int16 or (u)int32, not {Type}");
                if (Flags is null || Flags.Count == 0) { yield return Error($"{label}: kind: flags needs 'flags' (bit: {{code, text, severity}})"); break; }
                var maxBit = type == ModbusValueType.Bool ? 0 : Count * 16 - 1;
                foreach (var (bit, flag) in Flags)
                {
                    if (bit < 0 || bit > maxBit) yield return new ProfileError(flag?.Line ?? Line, $"{label}: flag bit {bit} must be between 0 and {maxBit} for {Type ?? "this type"}");
                    if (flag is null) { yield return Error($"{label}: flag bit {bit} needs code, text and severity"); continue; }
                    foreach (var e in flag.Validate()) yield return new ProfileError(e.Line, $"{label}: flag bit {bit}: {e.Message}");
                }

                break;
            case ModbusValueKind.Counter:
                if (!integer || type == ModbusValueType.Bool) yield return Error($"{label}: a counter needs an integer type, not {Type}");
                if (Event is not null && !EquipmentIoT.Protocols.Telemetry.Model.TelemetryNames.IsValidEventType(Event))
                    yield return Error($"{label}: 'event' '{Event}' must be {EquipmentIoT.Protocols.Telemetry.Model.TelemetryNames.EventTypeRule}, e.g. build.layer or x-acme.recoater");
                break;
        }
    }
}

/// <summary>One fault bit of a kind: flags register.</summary>
public sealed class ModbusFlagMap : ProfileNode
{
    private static readonly string[] Severities = ["critical", "major", "minor", "warning", "info"];

    /// <summary>The fault code, e.g. COMP_OFF.</summary>
    public string Code { get; set; } = "";

    /// <summary>What the fault means.</summary>
    public string? Text { get; set; }

    /// <summary>critical, major, minor (default), warning, info.</summary>
    public string Severity { get; set; } = "minor";

    /// <inheritdoc/>
    public override IEnumerable<ProfileError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Code)) yield return Error("'code' is required");
        if (!Severities.Contains(Severity)) yield return Error($"'severity' '{Severity}' must be one of {string.Join(", ", Severities)}");
    }
}
