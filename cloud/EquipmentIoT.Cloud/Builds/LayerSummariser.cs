using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Builds;

/// <summary>
/// Summarises one process signal per layer: each point falls in the layer whose [start, next start) holds its time
/// (the last layer ends with the job); points of quality bad are left out; points outside the material's process
/// window are counted as the layer's excursion. Pure.
/// </summary>
public static class LayerSummariser
{
    /// <summary>
    /// Summaries of <paramref name="signal"/> for each of <paramref name="layers"/> (ascending starts) that has points;
    /// <paramref name="end"/> closes the last layer.
    /// </summary>
    public static IReadOnlyList<(int Layer, SignalSummary Summary)> Summarise(string signal, string? unit, IReadOnlyList<(int Layer, Instant Started)> layers,
        Instant end, IEnumerable<SeriesPoint> points, ProcessWindow? window)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(points);
        var acc = new Accumulator[layers.Count];
        foreach (var p in points)
        {
            if (p.Quality == MetricQuality.Bad || p.Time >= end) continue;
            var index = LayerIndex(layers, p.Time);
            if (index < 0) continue;
            acc[index].Add(p.Value, window?.IsOutside(p.Value) == true);
        }

        var result = new List<(int, SignalSummary)>();
        for (var i = 0; i < layers.Count; i++)
        {
            if (acc[i].Count == 0) continue;
            result.Add((layers[i].Layer, new SignalSummary(signal, unit, acc[i].Count, acc[i].Min, acc[i].Max, acc[i].Sum / acc[i].Count,
                acc[i].Outside, window?.Min, window?.Max)));
        }

        return result;
    }

    /// <summary>The index of the last layer started at or before <paramref name="time"/>, or -1 before the first.</summary>
    private static int LayerIndex(IReadOnlyList<(int Layer, Instant Started)> layers, Instant time)
    {
        int lo = 0, hi = layers.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (layers[mid].Started <= time)
            {
                found = mid;
                lo = mid + 1;
            }
            else hi = mid - 1;
        }

        return found;
    }

    private struct Accumulator
    {
        public long Count;
        public long Outside;
        public double Sum;
        public double Min;
        public double Max;

        public void Add(double value, bool outside)
        {
            if (Count == 0) Min = Max = value;
            else
            {
                Min = Math.Min(Min, value);
                Max = Math.Max(Max, value);
            }

            Count++;
            Sum += value;
            if (outside) Outside++;
        }
    }
}
