using EquipmentIoT.Cloud.Builds;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Usage;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>An amount of use, or why it could not be measured.</summary>
public sealed record UsageReading(double? Value, string? Problem)
{
    /// <summary>Measured.</summary>
    public static UsageReading Of(double value) => new(value, null);

    /// <summary>Not measurable now (no data, too much data, a part not enabled).</summary>
    public static UsageReading Unavailable(string problem) => new(null, problem);
}

/// <summary>Measures the use of a device in a time range, the way a usage plan counts it.</summary>
public interface IMaintenanceUsageSource
{
    /// <summary>The use by <paramref name="plan"/>'s measure of its device in [<paramref name="since"/>, <paramref name="until"/>).</summary>
    Task<UsageReading> MeasureAsync(MaintenancePlan plan, Instant since, Instant until, CancellationToken cancellationToken);
}

/// <summary>
/// Use from the stores: exams and exam time from the ledger's exam events (paired as usage statistics pair them), laser time from the
/// laser power series (per-minute maxima above a threshold), builds from the build records, counter hours from the counter metric's
/// increase. A counter that went down was reset or replaced: its use is then its newest value (counted from zero).
/// </summary>
public sealed class StoreUsageSource(ITelemetryLedger ledger, ISeriesStore series, IOptionsMonitor<MaintenanceOptions> options, IBuildStore? builds = null)
    : IMaintenanceUsageSource
{
    /// <summary>The most exam events one measurement reads.</summary>
    public const int MaxEvents = 200_000;

    // 60 days of 1-minute steps stay below a series query's 100 000 points.
    private static readonly Duration LaserChunk = Duration.FromDays(60);

    /// <inheritdoc/>
    public async Task<UsageReading> MeasureAsync(MaintenancePlan plan, Instant since, Instant until, CancellationToken cancellationToken)
    {
        var (from, to) = (since, until);
        ArgumentNullException.ThrowIfNull(plan);
        if (to <= from) return UsageReading.Of(0);
        return plan.Measure switch
        {
            UsageMeasure.Exams or UsageMeasure.ScanSeconds => await ExamsAsync(plan.Device, plan.Measure.Value, from, to, cancellationToken).ConfigureAwait(false),
            UsageMeasure.LaserHours => await LaserHoursAsync(plan.Device, plan.Metric ?? PlanRules.DefaultLaserMetric, from, to, cancellationToken).ConfigureAwait(false),
            UsageMeasure.Builds => await BuildsAsync(plan.Device, from, to, cancellationToken).ConfigureAwait(false),
            UsageMeasure.CounterHours when plan.Metric is { } metric => await CounterAsync(plan.Device, metric, from, to, cancellationToken).ConfigureAwait(false),
            _ => UsageReading.Unavailable($"plan {plan.Id} has no usage measure"),
        };
    }

    private async Task<UsageReading> ExamsAsync(string device, UsageMeasure measure, Instant from, Instant to, CancellationToken cancellationToken)
    {
        // Starts up to a day earlier pair with completions inside the range (exams over the boundary).
        var stored = await ledger.EventsAsync(new EventQuery(device, TypePrefix: "exam.", From: from - Duration.FromDays(1), To: to, Limit: MaxEvents),
            cancellationToken).ConfigureAwait(false);
        if (stored.Count >= MaxEvents) return UsageReading.Unavailable($"device '{device}' has more than {MaxEvents} exam events since {from}");
        var events = stored
            .Where(e => e.Type is EventTypes.ExamStarted or EventTypes.ExamCompleted or EventTypes.ExamDiscontinued)
            .OrderBy(e => e.Timestamp).ThenBy(e => e.Id)
            .Select(e => new TelemetryEvent(e.Device, e.Type, e.Timestamp, e.Data));
        var exams = ExamPairing.Pair(events).Where(x => x.End >= from && x.End < to).ToList();
        return measure == UsageMeasure.Exams
            ? UsageReading.Of(exams.Count(x => !x.Discontinued))
            // A discontinued exam ran the equipment too: its time counts.
            : UsageReading.Of(exams.Sum(x => x.Length?.TotalSeconds ?? 0));
    }

    private async Task<UsageReading> LaserHoursAsync(string device, string metric, Instant from, Instant to, CancellationToken cancellationToken)
    {
        var threshold = options.CurrentValue.LaserOnThreshold;
        long minutes = 0;
        for (var start = from; start < to; start += LaserChunk)
        {
            var end = start + LaserChunk < to ? start + LaserChunk : to;
            var points = await series.QueryAsync(new SeriesQuery(device, metric, start, end, Duration.FromMinutes(1), SeriesAggregate.Max),
                cancellationToken).ConfigureAwait(false);
            minutes += points.Count(p => p.Value > threshold);
        }
        return UsageReading.Of(minutes / 60.0);
    }

    private async Task<UsageReading> BuildsAsync(string device, Instant from, Instant to, CancellationToken cancellationToken)
    {
        if (builds is null) return UsageReading.Unavailable("build records are not enabled in this cloud");
        var found = await builds.ListAsync(new BuildQuery(device, from, to, Limit: 100_000), cancellationToken).ConfigureAwait(false);
        // The query matches builds that overlap the range; a build counts where it started.
        return UsageReading.Of(found.Count(b => b.Started >= from && b.Started < to));
    }

    private async Task<UsageReading> CounterAsync(string device, string metric, Instant from, Instant to, CancellationToken cancellationToken)
    {
        var first = await series.QueryAsync(new SeriesQuery(device, metric, from, to, Limit: 1), cancellationToken).ConfigureAwait(false);
        if (first.Count == 0) return UsageReading.Unavailable($"no {metric} readings of '{device}' since {from}");
        var latest = (await series.LatestAsync(device, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(l => string.Equals(l.Metric, metric, StringComparison.Ordinal));
        if (latest is null) return UsageReading.Unavailable($"no {metric} readings of '{device}'");
        var used = latest.Value >= first[0].Value ? latest.Value - first[0].Value : latest.Value;
        return UsageReading.Of(used);
    }
}
