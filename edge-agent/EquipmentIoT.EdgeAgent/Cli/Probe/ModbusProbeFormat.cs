using System.Globalization;
using EquipmentIoT.EdgeAgent.Adapters.Modbus;

namespace EquipmentIoT.EdgeAgent.Cli.Probe;

/// <summary>One mapped value as the probe prints it: "helium_level (4:0) = 72 % (raw 7200)", "compressor (4:2) = 1 running".</summary>
internal static class ModbusProbeFormat
{
    public static string Describe(ModbusRegisterMap point, ModbusValue value)
    {
        var where = $"{point.Name} ({point.Function}:{point.Address})";
        var scaled = value.Scaled.ToString(CultureInfo.InvariantCulture);
        var raw = value.Raw.ToString(CultureInfo.InvariantCulture);
        return point.ValueKind switch
        {
            ModbusValueKind.State => $"{where} = {value.Bits} {(point.States is { } s && s.TryGetValue(value.Bits, out var state) ? state : $"unknown({value.Bits})")}",
            ModbusValueKind.Flags => $"{where} = 0x{value.Bits:X4} {Flags(point, value.Bits)}",
            _ => $"{where} = {scaled}{(string.IsNullOrEmpty(point.Unit) ? "" : " " + point.Unit)}{(raw == scaled ? "" : $" (raw {raw})")}{(point.ValueKind == ModbusValueKind.Counter ? " counter" : "")}",
        };
    }

    private static string Flags(ModbusRegisterMap point, long bits)
    {
        var active = (point.Flags ?? []).Where(f => (bits >> f.Key & 1) == 1).OrderBy(f => f.Key)
            .Select(f => $"{f.Value.Code} ({f.Value.Severity}: {f.Value.Text ?? "no text"})").ToList();
        return active.Count == 0 ? "no mapped alarm" : string.Join(", ", active);
    }
}
