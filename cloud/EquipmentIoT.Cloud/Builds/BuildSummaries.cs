using EquipmentIoT.Cloud.Storage;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Builds;

/// <summary>
/// Computes a build's per-layer summaries from the stored series (one raw query per signal over the job), with the
/// process windows of the material the operator logged (the default material until then), and fills the job id and
/// layers planned from their metrics when no event carried them.
/// </summary>
public sealed class BuildSummaries(IBuildStore store, ISeriesStore series, IOptions<BuildOptions> options, IClock clock)
{
    private const int MaxPointsPerSignal = 2_000_000;
    private readonly BuildOptions _options = options.Value;

    /// <summary>Recomputes and saves the summaries of build <paramref name="buildId"/>; false when it is sealed or gone.</summary>
    public async Task<bool> RefreshAsync(long buildId, CancellationToken cancellationToken)
    {
        var detail = await store.GetAsync(buildId, cancellationToken).ConfigureAwait(false);
        if (detail is null || detail.Record.Sealed is not null) return false;
        var record = detail.Record;
        var now = clock.GetCurrentInstant();
        var end = record.Ended ?? now;
        var material = MaterialOf(detail);
        var layers = detail.Layers.Select(l => (l.Layer, l.Started)).ToList();
        // The units of the newest points (LatestAsync is cheap on every series store; SeriesAsync counts points).
        var units = (await series.LatestAsync(record.Device, cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.Metric, s => s.Unit, StringComparer.Ordinal);

        var signals = new List<(int, SignalSummary)>();
        foreach (var signal in _options.Signals)
        {
            var points = await series.QueryAsync(new SeriesQuery(record.Device, signal, record.Started, end, Limit: MaxPointsPerSignal), cancellationToken)
                .ConfigureAwait(false);
            signals.AddRange(LayerSummariser.Summarise(signal, units.GetValueOrDefault(signal), layers, end, points, _options.WindowOf(material, signal)));
        }

        var excursionLayers = signals.Where(s => s.Item2.IsExcursion).Select(s => s.Item1).Distinct().Count();
        var jobId = await LastValueAsync(record, _options.JobMetric, end, cancellationToken).ConfigureAwait(false);
        var planned = await LastValueAsync(record, _options.LayersPlannedMetric, end, cancellationToken).ConfigureAwait(false);
        return await store.SaveSummaryAsync(new BuildSummary(buildId, record.JobId ?? (long?)jobId, record.LayersPlanned ?? (int?)planned,
            signals, excursionLayers, now), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The material of the build's effective material entry, or the default.</summary>
    public string MaterialOf(BuildDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return detail.EffectiveEntries().LastOrDefault(e => e.Kind == BuildEntryKinds.Material)?.Fields["material"]
            ?? _options.DefaultMaterial;
    }

    // The last value a job metric had during the job (after it changed to this job's id at the start).
    private async Task<double?> LastValueAsync(BuildRecord record, string metric, Instant end, CancellationToken cancellationToken)
    {
        var points = await series.QueryAsync(new SeriesQuery(record.Device, metric, record.Started, end + Duration.FromSeconds(1),
            Duration.FromTimeSpan(TimeSpan.FromDays(3650)), SeriesAggregate.Last), cancellationToken).ConfigureAwait(false);
        return points.Count == 0 ? null : points[^1].Value;
    }
}
