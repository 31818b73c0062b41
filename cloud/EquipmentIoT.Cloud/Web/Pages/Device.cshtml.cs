using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Maintenance;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Web.Charts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Web.Pages;

/// <summary>
/// One device: asset record, latest values, SVG charts of chosen metrics over a chosen range (one stepped query per chart from the
/// series store's rollups: at most a few hundred points whatever the range), open alarms, events, exams and maintenance history.
/// </summary>
public sealed class DeviceModel(IRegistryStore registry, ISeriesStore series, ITelemetryLedger ledger, IAlarmStore alarms, WorkOrderService workOrders,
    IOptions<WebUiOptions> options)
    : UiPageModel
{
    /// <summary>The ranges offered and the step each is drawn with (≤ 400 steps).</summary>
    public static readonly IReadOnlyList<(string Key, Duration Range, Duration Step)> Ranges =
    [
        ("1h", Duration.FromHours(1), Duration.FromMinutes(1)),
        ("24h", Duration.FromHours(24), Duration.FromMinutes(10)),
        ("7d", Duration.FromDays(7), Duration.FromHours(1)),
        ("30d", Duration.FromDays(30), Duration.FromHours(4)),
        ("365d", Duration.FromDays(365), Duration.FromDays(1)),
    ];

    private const int MaxCharts = 4;
    private static readonly LocalDateTimePattern Hours = LocalDateTimePattern.CreateWithInvariantCulture("HH':'mm");
    private static readonly LocalDateTimePattern Days = LocalDateTimePattern.CreateWithInvariantCulture("MM'-'dd");

    [BindProperty(SupportsGet = true, Name = "m")]
    public string[] Metrics { get; set; } = [];

    [BindProperty(SupportsGet = true, Name = "r")]
    public string? Range { get; set; }

    public DeviceRecord? Device { get; private set; }

    public IReadOnlyList<LatestValue> Latest { get; private set; } = [];

    /// <summary>The device's metrics, from their latest values (cheap on every series store, unlike counting points).</summary>
    public IReadOnlyList<LatestValue> Known => Latest;

    public IReadOnlyList<(LatestValue Metric, IReadOnlyList<ChartPoint> Points, Func<double, string> Label)> Charts { get; private set; } = [];

    public IReadOnlyList<Alarm> OpenAlarms { get; private set; } = [];

    public IReadOnlyList<StoredEvent> Events { get; private set; } = [];

    public IReadOnlyList<StoredEvent> Exams { get; private set; } = [];

    public IReadOnlyList<WorkOrderView> Maintenance { get; private set; } = [];

    /// <summary>How often live.js re-reads the latest values (<see cref="WebUiOptions.LiveRefresh"/>).</summary>
    public int LiveSeconds => Math.Max(1, (int)options.Value.LiveRefresh.TotalSeconds);

    /// <summary>The latest values alone, as an HTML fragment for live.js (<c>?handler=Latest</c>).</summary>
    public async Task<IActionResult> OnGetLatestAsync(string id, CancellationToken cancellationToken)
    {
        Device = await registry.GetDeviceAsync(id, cancellationToken);
        if (Device is null) return NotFound();
        Latest = await series.LatestAsync(id, cancellationToken);
        return Partial("_LatestValues", this);
    }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Device = await registry.GetDeviceAsync(id, cancellationToken);
        if (Device is null) return NotFound();
        Ui.KnowDevices([Device]);
        Latest = await series.LatestAsync(id, cancellationToken);
        var range = Ranges.FirstOrDefault(r => r.Key == Range);
        if (range.Key is null) range = Ranges[1];
        Range = range.Key;
        var chosen = Metrics.Where(m => Known.Any(k => k.Metric == m)).Distinct(StringComparer.Ordinal).Take(MaxCharts).ToList();
        if (chosen.Count == 0) chosen = [.. Known.OrderBy(k => k.Metric, StringComparer.Ordinal).Take(2).Select(k => k.Metric)];
        Metrics = [.. chosen];

        var zone = Ui.ZoneOf(Device.Asset.Site);
        var pattern = range.Range <= Duration.FromDays(1) ? Hours : Days;
        string Label(double ms) => pattern.Format(Instant.FromUnixTimeMilliseconds((long)ms).InZone(zone).LocalDateTime);
        var to = Ui.Now;
        // The charts' queries run side by side (each store read has its own connection): a year of four metrics is the page's cost.
        var charts = await Task.WhenAll(chosen.Select(async metric =>
        {
            var points = await series.QueryAsync(new SeriesQuery(id, metric, to - range.Range, to, range.Step, SeriesAggregate.Mean, 1000), cancellationToken);
            return (Known.First(k => k.Metric == metric), (IReadOnlyList<ChartPoint>)[.. points.Select(p => new ChartPoint(p.Time.ToUnixTimeMilliseconds(), p.Value, p.Min, p.Max))],
                (Func<double, string>)Label);
        }));
        Charts = charts;
        OpenAlarms = await alarms.ListAsync(new AlarmQuery(Open: true, Device: id, Limit: 50), cancellationToken);
        Events = await ledger.EventsAsync(new EventQuery(Device: id, Limit: 20), cancellationToken);
        Exams = await ledger.EventsAsync(new EventQuery(Device: id, TypePrefix: "exam.", Limit: 20), cancellationToken);
        Maintenance = await workOrders.ListAsync(new WorkOrderQuery(Device: id, Limit: 20), false, cancellationToken);
        return Page();
    }
}
