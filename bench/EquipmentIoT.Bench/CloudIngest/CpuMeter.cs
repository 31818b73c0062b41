using System.Diagnostics;
using System.Globalization;
using EquipmentIoT.Bench.Footprint;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Bench.CloudIngest;

/// <summary>CPU seconds (user + system) used by this process and by the broker between two readings.</summary>
internal readonly record struct CpuUse(double BenchSeconds, double? BrokerSeconds);

/// <summary>
/// Reads the CPU time of this process (<see cref="Process.TotalProcessorTime"/>) and of the mosquitto the
/// harness started (found in /proc by its command line, <c>mosquitto -c CONFIG</c>; /proc/PID/stat).
/// </summary>
internal sealed class CpuMeter
{
    private readonly int? _brokerPid;
    private readonly TimeSpan _bench;
    private readonly long? _broker;

    public CpuMeter(MosquittoBroker broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        _brokerPid = FindBroker(broker.ConfigFile);
        _bench = BenchTime();
        _broker = _brokerPid is { } pid ? ProcFs.ReadCpuTicks(pid) : null;
    }

    /// <summary>CPU used since this meter was made.</summary>
    public CpuUse Elapsed()
    {
        var bench = (BenchTime() - _bench).TotalSeconds;
        var now = _brokerPid is { } pid ? ProcFs.ReadCpuTicks(pid) : null;
        double? broker = now is { } after && _broker is { } before ? (after - before) / (double)ProcFs.TicksPerSecond : null;
        return new CpuUse(bench, broker);
    }

    private static TimeSpan BenchTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static int? FindBroker(string configFile)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            string[] arguments;
            try
            {
                arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // gone, or not ours to read
            }

            if (arguments.Length >= 3 && Path.GetFileName(arguments[0]) == "mosquitto" && arguments[1] == "-c" && arguments[2] == configFile) return pid;
        }

        return null;
    }
}
