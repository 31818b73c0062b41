using EquipmentIoT.EdgeAgent.Adapters.Modbus;

namespace EquipmentIoT.EdgeAgent.Cli.Probe;

/// <summary>What <c>probe modbus</c> reads without a profile: mbpoll's table, reference, count and data type.</summary>
internal sealed class ModbusTableRequest
{
    /// <summary>The Modbus function: 1 coils, 2 discrete inputs, 3 holding registers, 4 input registers.</summary>
    public int Function { get; private set; } = 3;

    public int Address { get; set; }

    public bool OneBased { get; set; } = true;

    public int Count { get; set; } = 1;

    public string? Type { get; set; }

    public string WordOrder { get; set; } = "big";

    public bool Once { get; set; }

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>mbpoll's -t: 0 coils, 1 discrete inputs, 3 input registers, 4 holding registers; ":int" is int32, ":float" float32.</summary>
    public void SetTable(string text)
    {
        var (table, suffix) = text.IndexOf(':', StringComparison.Ordinal) is var at and >= 0 ? (text[..at], text[(at + 1)..]) : (text, "");
        Function = table switch
        {
            "0" => 1,
            "1" => 2,
            "3" => 4,
            "4" => 3,
            _ => throw new ProbeUsageException($"-t takes 0 (coils), 1 (discrete inputs), 3 (input registers) or 4 (holding registers), not '{text}'"),
        };
        Type = suffix switch
        {
            "" => Type,
            "int" => "int32",
            "float" => "float32",
            "hex" => "uint16",
            _ => throw new ProbeUsageException($"-t {table}:{suffix}: the data type is int, float or hex"),
        };
    }

    public void Validate()
    {
        if (Function is 1 or 2 && Type is not null) throw new ProbeUsageException("--type applies to registers (-t 3 or 4), not to bits");
        var width = Points()[0].Count;
        var max = Function is 1 or 2 ? 2000 : 125; // Modbus Application Protocol §6.1–6.4: quantity limits
        if (Count * width > max) throw new ProbeUsageException($"-c {Count} of {Type ?? "16-bit"} is {Count * width} items; one request reads at most {max}");
        if (Address + Count * width > 65536) throw new ProbeUsageException("the read runs past address 65535");
    }

    /// <summary>The values to read, as ad-hoc register maps so the agent's decoder reads them.</summary>
    public IReadOnlyList<ModbusRegisterMap> Points()
    {
        var type = Function is 1 or 2 ? "bool" : Type ?? "uint16";
        var width = type is "uint32" or "int32" or "float32" ? 2 : 1;
        return [.. Enumerable.Range(0, Count).Select(i => new ModbusRegisterMap { Name = "r" + i, Function = Function, Address = Address + i * width, Type = type, WordOrder = WordOrder })];
    }
}
