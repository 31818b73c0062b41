using System.Globalization;

namespace EquipmentIoT.Bench.Mqtt;

/// <summary>
/// Samples a process's VmHWM (peak resident set, as the kernel tracks it) from /proc/PID/status
/// every <see cref="Period"/> until stopped or the process is gone. The same method for every
/// publisher, C or .NET; VmHWM only grows, so a missed sample can only miss growth in the last period.
/// </summary>
internal sealed class PeakRssSampler : IAsyncDisposable
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);

    private readonly string _statusPath;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peakKilobytes;

    private PeakRssSampler(int pid)
    {
        _statusPath = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status";
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The largest VmHWM read, in KiB (0 if nothing could be read).</summary>
    public long PeakKilobytes => Interlocked.Read(ref _peakKilobytes);

    public static PeakRssSampler Start(int pid) => new(pid);

    /// <summary>Takes one last sample (the process may already be gone) and stops.</summary>
    public async Task<long> StopAsync()
    {
        Sample();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        return PeakKilobytes;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (Sample() && await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // stopped
        }
    }

    /// <summary>Reads VmHWM once; false once the process has gone.</summary>
    private bool Sample()
    {
        string text;
        try
        {
            text = File.ReadAllText(_statusPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false; // exited and reaped: the last sample stands
        }

        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
            var number = line["VmHWM:".Length..].Trim();
            var space = number.IndexOf(' ');
            if (space > 0) number = number[..space]; // "12345 kB"
            if (long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
            {
                long seen;
                while (kb > (seen = Interlocked.Read(ref _peakKilobytes)) && Interlocked.CompareExchange(ref _peakKilobytes, kb, seen) != seen)
                {
                }
            }
            break;
        }
        return true;
    }
}
