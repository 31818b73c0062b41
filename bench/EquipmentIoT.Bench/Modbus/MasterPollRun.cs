using System.Diagnostics;
using EquipmentIoT.Protocols.Modbus.Client;

namespace EquipmentIoT.Bench.Modbus;

/// <summary>
/// Our <see cref="ModbusTcpMaster"/> configured as the agent's Modbus adapter configures it (ModbusTransportFactory:
/// MaxInFlight 1, the device's timeout), reading the same registers with FC3 back to back for a fixed time.
/// </summary>
internal static class MasterPollRun
{
    public static async Task<PollResult> RunAsync(int port, int registers, TimeSpan duration, CancellationToken cancellationToken)
    {
        var options = new ModbusTcpMasterOptions { Timeout = TimeSpan.FromSeconds(1), MaxInFlight = 1 };
        var master = new ModbusTcpMaster("127.0.0.1", port, options, TimeProvider.System);
        await using (master.ConfigureAwait(false))
        {
            var quantity = checked((ushort)registers);
            // One request first: connect and JIT stay out of the figure.
            await master.ReadHoldingRegistersAsync(1, 0, quantity, cancellationToken).ConfigureAwait(false);
            var cpu = CpuTime();
            var start = Stopwatch.GetTimestamp();
            long requests = 0;
            long read = 0;
            while (Stopwatch.GetElapsedTime(start) < duration)
            {
                var values = await master.ReadHoldingRegistersAsync(1, 0, quantity, cancellationToken).ConfigureAwait(false);
                if (values.Length != registers || values[registers - 1] != registers - 1)
                    throw new InvalidOperationException($"FC3 answered {values.Length} registers, last {values[^1]}; expected {registers}, last {registers - 1}");
                requests++;
                read += values.Length;
            }

            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            return new PollResult(requests, read, seconds, (CpuTime() - cpu).TotalSeconds);
        }
    }

    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
