using EquipmentIoT.EdgeAgent.Profiles;
using EquipmentIoT.Protocols.Modbus;
using EquipmentIoT.Protocols.Modbus.Registers;

namespace EquipmentIoT.EdgeAgent.Adapters.Modbus;

/// <summary>
/// The 'modbus' section of a device profile: how often to poll, the default word order, how far apart
/// registers may be and still be read in one request, and the register map.
/// </summary>
/// <example>
/// <code>
/// modbus:
///   pollInterval: 00:00:01
///   wordOrder: big
///   maxGap: 8
///   registers:
///     - { name: helium_level, function: 4, address: 0, type: uint16, scale: 0.1, unit: "%" }
/// </code>
/// </example>
public sealed class ModbusProfile : ProfileNode
{
    /// <summary>The most registers a profile may map.</summary>
    public const int MaxRegisters = 10_000;

    /// <summary>How often every register is read (10 ms to 1 h).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Default word order of 32- and 64-bit values: big (high word first), little, bigByteSwap, littleByteSwap.</summary>
    public string WordOrder { get; set; } = "big";

    /// <summary>Registers (or bits) of the same function at most this far apart are read in one request (0–124).</summary>
    public int MaxGap { get; set; } = 8;

    /// <summary>The register map.</summary>
    public List<ModbusRegisterMap> Registers { get; set; } = [];

    /// <summary>The parsed <see cref="WordOrder"/> (valid after <see cref="Validate"/> found no error).</summary>
    public ModbusWordOrder DefaultWordOrder => ModbusRegisterMap.ParseWordOrder(WordOrder) ?? ModbusWordOrder.Big;

    /// <inheritdoc/>
    public override IEnumerable<ProfileError> Validate()
    {
        if (PollInterval < TimeSpan.FromMilliseconds(10) || PollInterval > TimeSpan.FromHours(1))
            yield return Error($"'pollInterval' {PollInterval} must be between 00:00:00.010 and 01:00:00");
        if (ModbusRegisterMap.ParseWordOrder(WordOrder) is null)
            yield return Error($"'wordOrder' '{WordOrder}' must be big, little, bigByteSwap or littleByteSwap");
        if (MaxGap is < 0 or > ModbusLimits.MaxReadRegisters - 1)
            yield return Error($"'maxGap' {MaxGap} must be between 0 and {ModbusLimits.MaxReadRegisters - 1}");
        if (Registers.Count == 0) yield return Error("'registers' needs at least one register");
        if (Registers.Count > MaxRegisters) yield return Error($"'registers' has {Registers.Count} entries; at most {MaxRegisters}");
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var register in Registers)
        {
            if (register is null) continue;
            foreach (var e in register.Validate()) yield return e;
            if (string.IsNullOrEmpty(register.Name)) continue;
            if (seen.TryGetValue(register.Name, out var first))
                yield return new ProfileError(register.Line, $"register name '{register.Name}' is already used on line {first}");
            else
                seen[register.Name] = register.Line;
        }
    }
}
