using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Batching;

/// <summary>
/// Under buffer pressure, keeps one reading per metric (device + name) per interval and leaves the
/// others out, so a long outage keeps the shape of every signal at a coarser grain instead of losing
/// the newest hours entirely. Used by the metrics sealer only; events are never thinned.
/// </summary>
internal sealed class MetricThinner
{
    private readonly Duration _interval;
    private readonly Dictionary<(string Device, string Name), Instant> _lastKept = [];

    public MetricThinner(TimeSpan interval) => _interval = Duration.FromTimeSpan(interval);

    /// <summary>Removes the readings that fall within the interval of the last kept one; returns how many were removed.</summary>
    public int Thin(List<MetricPoint> points)
    {
        var kept = 0;
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            var key = (p.Device, p.Name);
            if (_lastKept.TryGetValue(key, out var last) && p.Timestamp - last < _interval) continue;
            _lastKept[key] = p.Timestamp;
            points[kept++] = p;
        }

        var removed = points.Count - kept;
        points.RemoveRange(kept, removed);
        return removed;
    }

    /// <summary>Pressure is gone: the next reading of every metric is kept again.</summary>
    public void Reset() => _lastKept.Clear();
}
