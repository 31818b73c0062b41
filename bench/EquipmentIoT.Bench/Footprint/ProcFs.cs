using System.Diagnostics;
using System.Globalization;

namespace EquipmentIoT.Bench.Footprint;

/// <summary>One reading of /proc/PID/status: resident set now and at its peak, in KiB, and the thread count.</summary>
internal readonly record struct MemoryReading(long RssKilobytes, long PeakKilobytes, int Threads);

/// <summary>
/// What the kernel says about one process (proc(5)): VmRSS/VmHWM/Threads from <c>/proc/PID/status</c>, CPU
/// time from <c>/proc/PID/stat</c> fields 14 (utime) and 15 (stime), in clock ticks of <see cref="TicksPerSecond"/>.
/// </summary>
internal static class ProcFs
{
    private static readonly Lazy<long> ClockTicks = new(ReadClockTicks);

    /// <summary>sysconf(_SC_CLK_TCK), from <c>getconf CLK_TCK</c>; 100 (USER_HZ on Linux) if that fails.</summary>
    public static long TicksPerSecond => ClockTicks.Value;

    /// <summary>Reads the memory figures; null once the process has gone.</summary>
    public static MemoryReading? ReadMemory(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status");
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }

        long rss = 0, peak = 0, threads = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = FirstNumber(line["VmRSS:".Length..]);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = FirstNumber(line["VmHWM:".Length..]);
            else if (line.StartsWith("Threads:", StringComparison.Ordinal)) threads = FirstNumber(line["Threads:".Length..]);
        }

        return new MemoryReading(rss, peak, (int)threads);
    }

    /// <summary>utime + stime of the process (all its threads), in clock ticks; null once it has gone.</summary>
    public static long? ReadCpuTicks(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }

        // Field 2, comm, is "(name)" and may hold spaces and ')': count fields from the last ')'.
        // After it come field 3 (state), 4, … so utime (14) and stime (15) are the 12th and 13th words.
        var rest = text[(text.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(rest[11], NumberStyles.None, CultureInfo.InvariantCulture)
            + long.Parse(rest[12], NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static long FirstNumber(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        var space = text.IndexOf(' ');
        if (space > 0) text = text[..space]; // "12345 kB"
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    private static long ReadClockTicks()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
            });
            if (getconf is null) return 100;
            var output = getconf.StandardOutput.ReadToEnd().Trim();
            getconf.WaitForExit();
            return long.TryParse(output, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks > 0 ? ticks : 100;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100; // no getconf: Linux's USER_HZ
        }
    }
}
