using EquipmentIoT.Protocols.Modbus;

namespace EquipmentIoT.EdgeAgent.Adapters.Modbus;

/// <summary>One read request of a poll: a run of registers (or bits) of one function and the values inside it.</summary>
public sealed record ModbusReadBlock(ModbusFunctionCode Function, ushort Start, ushort Count, IReadOnlyList<ModbusRegisterMap> Points);

/// <summary>
/// Coalescing: values of the same function whose addresses are at most maxGap apart are read in one request,
/// as long as the request stays within the spec's quantity (2000 bits for FC 01/02, 125 registers for FC 03/04).
/// Gaps are read and thrown away: one longer request costs less on a bus than two short ones.
/// </summary>
public static class ModbusPollPlan
{
    /// <summary>The requests that read every value of <paramref name="points"/>.</summary>
    public static IReadOnlyList<ModbusReadBlock> Build(IEnumerable<ModbusRegisterMap> points, int maxGap)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfNegative(maxGap);
        var blocks = new List<ModbusReadBlock>();
        foreach (var group in points.GroupBy(p => p.FunctionCode).OrderBy(g => g.Key))
        {
            var limit = ModbusLimits.MaxQuantity(group.Key);
            var members = new List<ModbusRegisterMap>();
            int start = 0, end = 0; // end is exclusive
            foreach (var point in group.OrderBy(p => p.Address).ThenBy(p => p.Count))
            {
                var pointEnd = point.Address + point.Count;
                if (members.Count > 0 && point.Address - end <= maxGap && Math.Max(end, pointEnd) - start <= limit)
                {
                    end = Math.Max(end, pointEnd);
                    members.Add(point);
                    continue;
                }

                if (members.Count > 0) blocks.Add(new ModbusReadBlock(group.Key, (ushort)start, (ushort)(end - start), members));
                members = [point];
                start = point.Address;
                end = pointEnd;
            }

            if (members.Count > 0) blocks.Add(new ModbusReadBlock(group.Key, (ushort)start, (ushort)(end - start), members));
        }

        return blocks;
    }
}
