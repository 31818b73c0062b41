using System.Diagnostics;
using System.Globalization;
using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Maintenance;
using EquipmentIoT.Cloud.Storage;
using NodaTime;

namespace EquipmentIoT.Bench.Ui;

/// <summary>
/// Where a device page's server time goes: the store calls the device page model makes (cloud/EquipmentIoT.Cloud/Web/Pages/Device.cshtml.cs),
/// each timed alone, in this process, with the page's own arguments for a range.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class DevicePageCalls
{
    public static async Task PrintAsync(UiBenchHost host, BenchDevice device, Instant now, Duration range, Duration step, int requests,
        CancellationToken cancellationToken)
    {
        var registry = host.Get<IRegistryStore>();
        var series = host.Get<ISeriesStore>();
        var ledger = host.Get<ITelemetryLedger>();
        var alarms = host.Get<IAlarmStore>();
        var workOrders = host.Get<WorkOrderService>();
        var calls = new List<(string, Func<Task<int>>)>
        {
            ("registry.GetDeviceAsync", async () => (await registry.GetDeviceAsync(device.Id, cancellationToken).ConfigureAwait(false)) is null ? 0 : 1),
            ("series.LatestAsync(device)", async () => (await series.LatestAsync(device.Id, cancellationToken).ConfigureAwait(false)).Count),
        };
        foreach (var metric in device.Metrics.Take(4))
        {
            calls.Add(($"series.QueryAsync({metric.Name})", async () => (await series.QueryAsync(
                new SeriesQuery(device.Id, metric.Name, now - range, now, step, SeriesAggregate.Mean, 1000), cancellationToken).ConfigureAwait(false)).Count));
        }
        calls.Add(("alarms.ListAsync(open, device)", async () => (await alarms.ListAsync(new AlarmQuery(Open: true, Device: device.Id, Limit: 50),
            cancellationToken).ConfigureAwait(false)).Count));
        calls.Add(("ledger.EventsAsync(device)", async () => (await ledger.EventsAsync(new EventQuery(Device: device.Id, Limit: 20), cancellationToken)
            .ConfigureAwait(false)).Count));
        calls.Add(("ledger.EventsAsync(device, exam.)", async () => (await ledger.EventsAsync(new EventQuery(Device: device.Id, TypePrefix: "exam.", Limit: 20),
            cancellationToken).ConfigureAwait(false)).Count));
        calls.Add(("workOrders.ListAsync(device)", async () => (await workOrders.ListAsync(new WorkOrderQuery(Device: device.Id, Limit: 20), false,
            cancellationToken).ConfigureAwait(false)).Count));

        Console.WriteLine($"store calls of the device page of {device.Id} over {range.TotalDays:0} days at a {step.TotalHours:0} h step ({requests} each, alone):");
        double sum = 0;
        foreach (var (label, call) in calls)
        {
            var ms = new List<double>(requests);
            var rows = 0;
            for (var i = 0; i < requests + 2; i++)
            {
                var started = Stopwatch.GetTimestamp();
                rows = await call().ConfigureAwait(false);
                if (i >= 2) ms.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            ms.Sort();
            var p50 = ms[(ms.Count - 1) / 2];
            sum += p50;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {label,-36} p50 {p50,7:0.0} ms  p95 {ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(0.95 * ms.Count) - 1)],7:0.0} ms  ({rows} rows)"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  sum of the p50s: {sum:0.0} ms"));
    }
}
