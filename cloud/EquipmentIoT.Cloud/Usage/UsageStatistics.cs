using EquipmentIoT.Cloud.Registry;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Usage;

/// <summary>What to report on: a site's devices (or all, or one device) over local days <paramref name="From"/>..<paramref name="To"/>.</summary>
public sealed record UsageRequest(LocalDate From, LocalDate To, string? Site = null, string? Device = null);

/// <summary>
/// Gathers devices, site time zones and events from the stores and hands them to <see cref="UsageCalculator"/>.
/// Devices without a site are counted in UTC days with all-day opening (per-site opening hours come later).
/// </summary>
public sealed class UsageStatistics(IRegistryStore registry, ITelemetryLedger ledger, IClock clock)
{
    /// <summary>The longest range one request may cover.</summary>
    public const int MaxDays = 366;

    /// <summary>The most events one device may contribute to one request.</summary>
    public const int MaxEventsPerDevice = 200_000;

    private const int MaxDevices = 10_000;

    /// <summary>The report, or a <see cref="UsageException"/> when the request is too large.</summary>
    public async Task<UsageReport> ComputeAsync(UsageRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.To < request.From) throw new UsageException($"the range ends ({request.To:uuuu-MM-dd}) before it starts ({request.From:uuuu-MM-dd})");
        if (Period.Between(request.From, request.To, PeriodUnits.Days).Days >= MaxDays)
            throw new UsageException($"a usage report covers at most {MaxDays} days");

        var zones = (await registry.ListSitesAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(s => s.Id, s => RegistryRules.RequireZone(s.TimeZone), StringComparer.Ordinal);
        IReadOnlyList<DeviceRecord> records;
        if (request.Device is { } id)
        {
            records = await registry.GetDeviceAsync(id, cancellationToken).ConfigureAwait(false) is { } one ? [one] : [];
        }
        else
        {
            records = await registry.ListDevicesAsync(new DeviceQuery(Site: request.Site, Limit: MaxDevices), cancellationToken).ConfigureAwait(false);
        }

        var devices = records
            .Select(d => new UsageDevice(d.Id, d.Asset.DeviceClass, d.Asset.Site is { } s && zones.TryGetValue(s, out var z) ? z : DateTimeZone.Utc,
                OpeningHours.Always))
            .ToList();
        var events = new List<TelemetryEvent>();
        foreach (var device in devices)
        {
            var start = device.Zone.AtStartOfDay(request.From).ToInstant();
            var end = device.Zone.AtStartOfDay(request.To.PlusDays(1)).ToInstant();
            // Exams that started up to a day before the range can end inside it.
            await AddAsync(events, new EventQuery(device.Id, TypePrefix: "exam.", From: start - Duration.FromDays(1), To: end, Limit: MaxEventsPerDevice),
                cancellationToken).ConfigureAwait(false);
            await AddAsync(events, new EventQuery(device.Id, TypePrefix: EventTypes.State, From: start, To: end, Limit: MaxEventsPerDevice),
                cancellationToken).ConfigureAwait(false);
            // The state in effect when the range starts.
            await AddAsync(events, new EventQuery(device.Id, TypePrefix: EventTypes.State, To: start, Limit: 1), cancellationToken).ConfigureAwait(false);
        }
        return UsageCalculator.Compute(devices, events, request.From, request.To, clock.GetCurrentInstant());
    }

    private async Task AddAsync(List<TelemetryEvent> events, EventQuery query, CancellationToken cancellationToken)
    {
        var found = await ledger.EventsAsync(query, cancellationToken).ConfigureAwait(false);
        if (found.Count >= MaxEventsPerDevice)
            throw new UsageException($"device '{query.Device}' has more than {MaxEventsPerDevice} {query.TypePrefix} events in the range: ask for fewer days");
        foreach (var e in found)
        {
            // "state" as a prefix would also match a future "state.x" type; usage wants exactly these types.
            if (e.Type is EventTypes.State or EventTypes.ExamStarted or EventTypes.ExamCompleted or EventTypes.ExamDiscontinued)
                events.Add(new TelemetryEvent(e.Device, e.Type, e.Timestamp, e.Data));
        }
    }
}
