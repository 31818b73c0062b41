using System.ComponentModel.DataAnnotations;
using EquipmentIoT.EdgeAgent.Configuration;
using Microsoft.Extensions.Options;

namespace EquipmentIoT.EdgeAgent.Adapters.Synthetic;

/// <summary>
/// A synthetic device: metrics following a sine around a base value with drift and seeded noise, and
/// state, fault and exam events at configured intervals. Stands in for real equipment until the serial,
/// Modbus and MPPS adapters exist, and drives load for the benchmarks.
/// </summary>
public sealed class SyntheticDeviceOptions
{
    /// <summary>How often every metric is read.</summary>
    [TimeSpanRange("00:00:00.001", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The named metrics.</summary>
    [ValidateEnumeratedItems]
    public List<SyntheticMetric> Metrics { get; set; } = [];

    /// <summary>Extra metrics named signal_000…, for load (0–100,000).</summary>
    [Range(0, 100_000)]
    public int GeneratedMetrics { get; set; }

    /// <summary>A state event this often (none when null).</summary>
    public TimeSpan? StateChangeEvery { get; set; }

    /// <summary>The states cycled through.</summary>
    public List<string> States { get; set; } = ["idle", "ready", "scanning"];

    /// <summary>A fault event (raised, then cleared next time) this often (none when null).</summary>
    public TimeSpan? FaultEvery { get; set; }

    /// <summary>An exam (started, then completed) this often (none when null).</summary>
    public TimeSpan? ExamEvery { get; set; }

    /// <summary>
    /// Exams carry made-up patient names, ids and birth dates as MPPS would, to prove the agent scrubs
    /// them before anything is buffered. All values are invented.
    /// </summary>
    public bool IncludeFakePatientData { get; set; }

    /// <summary>Seed of the noise and of the invented values.</summary>
    public int Seed { get; set; } = 1;
}

/// <summary>One synthetic metric: base + amplitude·sin(2πt/period) + drift·hours + noise.</summary>
public sealed class SyntheticMetric
{
    /// <summary>Metric name.</summary>
    [Required]
    public string Name { get; set; } = "";

    /// <summary>Unit text.</summary>
    public string? Unit { get; set; }

    /// <summary>Centre value.</summary>
    public double Base { get; set; }

    /// <summary>Sine amplitude.</summary>
    public double Amplitude { get; set; }

    /// <summary>Sine period.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Change per hour (e.g. helium falling).</summary>
    public double DriftPerHour { get; set; }

    /// <summary>Uniform noise half-width.</summary>
    public double Noise { get; set; }
}
