using System.ComponentModel.DataAnnotations;

namespace EquipmentIoT.Cloud.Builds;

/// <summary>
/// Section "Builds": how printer telemetry becomes build records (which state machine, metrics and events), the
/// materials' process windows that flag excursions, and how batch numbers and UDIs are made.
/// </summary>
public sealed class BuildOptions
{
    public const string Section = "Builds";

    /// <summary>The material assumed until an operator logs one.</summary>
    public const string DefaultMaterialName = "Ti-6Al-4V ELI";

    /// <summary>The <c>machine</c> of the printer's state events (the profile's state register name).</summary>
    [Required]
    public string StateMachine { get; set; } = "printer";

    /// <summary>The metric that carries the printer's job id.</summary>
    [Required]
    public string JobMetric { get; set; } = "job_id";

    /// <summary>The metric that carries the layers the job plans.</summary>
    [Required]
    public string LayersPlannedMetric { get; set; } = "layers_planned";

    /// <summary>The event of a recoater pass (counted per build).</summary>
    [Required]
    public string RecoaterEvent { get; set; } = "x-eqiot.recoater";

    /// <summary>The process signals summarised per layer (metric names of the printer's profile).</summary>
    [MinLength(1)]
    public List<string> Signals { get; set; } = ["chamber_o2", "chamber_temperature", "build_plate_temperature", "laser_power"];

    /// <summary>
    /// Process windows per material and signal: a point outside [Min, Max] is an excursion. The embedded default is a
    /// titanium alloy on a powder-bed printer; a site writes its own from its validated process (IQ/OQ/PQ).
    /// </summary>
    public Dictionary<string, Dictionary<string, ProcessWindow>> Materials { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [DefaultMaterialName] = new(StringComparer.Ordinal)
        {
            ["chamber_o2"] = new() { Max = 1000 },
            ["chamber_temperature"] = new() { Max = 60 },
            ["build_plate_temperature"] = new() { Min = 170, Max = 230 },
            ["laser_power"] = new() { Max = 320 },
        },
    };

    /// <summary>The material whose window applies until an operator logs the build's material.</summary>
    [Required]
    public string DefaultMaterial { get; set; } = DefaultMaterialName;

    /// <summary>Batch numbers are <c>{prefix}-{local date yyyyMMdd}-{nnn}</c>.</summary>
    [Required]
    [RegularExpression("^[A-Z0-9]{1,6}$")]
    public string BatchPrefix { get; set; } = "AM";

    /// <summary>The IANA time zone of batch-number dates and UDI production dates (the plant's).</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>The GTIN of parts that name no product (GS1: the device identifier of the UDI); none: parts need a product.</summary>
    public string? Gtin { get; set; }

    /// <summary>GTINs per product name (the part's <c>product</c>).</summary>
    public Dictionary<string, string> Products { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How often the recorder reads new printer events.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long after a job's end its summaries are computed once more (late metric batches).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a running build's summaries are refreshed for people watching it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SummaryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The window of <paramref name="signal"/> for <paramref name="material"/>, if one is configured.</summary>
    public ProcessWindow? WindowOf(string material, string signal) =>
        Materials.TryGetValue(material, out var windows) && windows.TryGetValue(signal, out var window) ? window : null;
}

/// <summary>The bounds a process signal must stay within (either may be absent).</summary>
public sealed class ProcessWindow
{
    /// <summary>The lowest allowed value.</summary>
    public double? Min { get; set; }

    /// <summary>The highest allowed value.</summary>
    public double? Max { get; set; }

    /// <summary>True when <paramref name="value"/> is outside the window.</summary>
    public bool IsOutside(double value) => value < (Min ?? double.NegativeInfinity) || value > (Max ?? double.PositiveInfinity);
}
