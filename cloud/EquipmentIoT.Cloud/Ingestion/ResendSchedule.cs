using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Commands;
using NodaTime;

namespace EquipmentIoT.Cloud.Ingestion;

/// <summary>
/// When to ask an agent (again) for a gap: at once the first time, then after
/// <see cref="IngestionOptions.ResendInterval"/>, doubling each time up to
/// <see cref="IngestionOptions.MaxResendInterval"/>, at most <see cref="IngestionOptions.MaxResendRequests"/> times;
/// and in chunks no larger than a resend command allows.
/// </summary>
public sealed class ResendSchedule(TimeSpan interval, TimeSpan maxInterval, int maxRequests)
{
    /// <summary>The schedule the options describe.</summary>
    public static ResendSchedule From(IngestionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.ResendInterval, options.MaxResendInterval, options.MaxResendRequests);
    }

    /// <summary>How many requests a gap gets in all.</summary>
    public int MaxRequests => maxRequests;

    /// <summary>The wait after request number <paramref name="requests"/> (1 = after the first).</summary>
    public Duration DelayAfter(int requests)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requests, 1);
        var ticks = interval.Ticks;
        for (var i = 1; i < requests && ticks < maxInterval.Ticks; i++) ticks = ticks > long.MaxValue / 2 ? long.MaxValue : ticks * 2;
        return Duration.FromTimeSpan(TimeSpan.FromTicks(Math.Min(ticks, maxInterval.Ticks)));
    }

    /// <summary>Whether the gap should be asked for at <paramref name="now"/>.</summary>
    public bool IsDue(GapRecord gap, Instant now)
    {
        ArgumentNullException.ThrowIfNull(gap);
        if (gap.Status != GapStatus.Open || gap.Requests >= maxRequests) return false;
        if (gap.Requests == 0 || gap.LastRequested is not { } last) return true;
        return now >= last + DelayAfter(gap.Requests);
    }

    /// <summary>The resend commands that ask for the whole gap, each within <see cref="ResendCommand.MaxBatches"/>.</summary>
    public static IReadOnlyList<ResendCommand> Commands(GapRecord gap)
    {
        ArgumentNullException.ThrowIfNull(gap);
        var commands = new List<ResendCommand>();
        for (var from = gap.From; from <= gap.To; from += ResendCommand.MaxBatches)
            commands.Add(new ResendCommand(gap.Stream, from, Math.Min(gap.To, from + ResendCommand.MaxBatches - 1)));
        return commands;
    }
}
