using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Usage;

/// <summary>
/// Usage statistics as a pure function of devices, their events and "now": exams, working time and
/// utilisation per local day of each device's site, per device and per device class (rules in
/// <see cref="UsageRules"/>; opening time in <see cref="OpeningHours"/>).
/// </summary>
public static class UsageCalculator
{
    /// <summary>Computes the report for the local days <paramref name="from"/> to <paramref name="to"/> inclusive.</summary>
    /// <param name="devices">The devices to report on; events of other devices are ignored.</param>
    /// <param name="events">
    /// Their state and exam events in the range, in any order, plus the last state event of each device before the
    /// range (the state in effect when it starts) and exam starts before it (exams that run over midnight).
    /// </param>
    /// <param name="now">Nothing after now counts: the last state holds until now, and today's opening time ends now.</param>
    public static UsageReport Compute(IReadOnlyList<UsageDevice> devices, IEnumerable<TelemetryEvent> events, LocalDate from, LocalDate to, Instant now)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(events);
        if (to < from) throw new ArgumentException($"the range ends ({to}) before it starts ({from})", nameof(to));

        var byDevice = devices.ToDictionary(d => d.Id, _ => new List<TelemetryEvent>(), StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (byDevice.TryGetValue(e.Device, out var list)) list.Add(e);
        }

        var skipped = 0;
        var results = new List<(UsageDevice Device, DeviceUsage Usage, Duration[] WorkingInOpen)>(devices.Count);
        foreach (var device in devices)
        {
            var sorted = byDevice[device.Id].OrderBy(e => e.Timestamp).ToList();
            var (usage, workingInOpen, bad) = ComputeDevice(device, sorted, from, to, now);
            skipped += bad;
            results.Add((device, usage, workingInOpen));
        }

        var classes = results
            .GroupBy(r => r.Device.DeviceClass, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => ClassOf(g.Key, [.. g.Select(r => (r.Usage, r.WorkingInOpen))]))
            .ToList();
        return new UsageReport(from, to, [.. results.Select(r => r.Usage)], classes, skipped);
    }

    private static (DeviceUsage Usage, Duration[] WorkingInOpen, int Skipped) ComputeDevice(UsageDevice device, List<TelemetryEvent> events,
        LocalDate from, LocalDate to, Instant now)
    {
        var zone = device.Zone;
        var windowStart = zone.AtStartOfDay(from).ToInstant();
        var windowEnd = zone.AtStartOfDay(to.PlusDays(1)).ToInstant();
        var effectiveEnd = DayIntervals.Min(windowEnd, now);

        var skipped = 0;
        var states = new List<(Instant At, string State)>();
        foreach (var e in events.Where(e => e.Type == EventTypes.State))
        {
            if (e.Data.TryGetValue(UsageRules.StateKey, out var s) && s.Kind == EventValueKind.Text) states.Add((e.Timestamp, s.AsString));
            else skipped++;
        }
        var exams = ExamPairing.Pair(events);

        var source = states.Count > 0 ? WorkingTimeSource.States : WorkingTimeSource.Exams;
        var raw = source == WorkingTimeSource.States ? StateIntervals(states, effectiveEnd) : exams.Select(x => x.Running).OfType<Interval>();
        var working = DayIntervals.Merge(raw
            .Select(i => new Interval(DayIntervals.Max(i.Start, windowStart), DayIntervals.Min(i.End, effectiveEnd))));

        var examCounts = new Dictionary<LocalDate, (int Exams, int Discontinued)>();
        foreach (var exam in exams.Where(x => x.End >= windowStart && x.End < windowEnd))
        {
            var date = exam.End.InZone(zone).Date;
            var (n, d) = examCounts.GetValueOrDefault(date);
            examCounts[date] = exam.Discontinued ? (n, d + 1) : (n + 1, d);
        }

        var days = new List<UsageDay>();
        var inOpen = new List<Duration>();
        int dayCursor = 0, openCursor = 0;
        for (var date = from; date <= to; date = date.PlusDays(1))
        {
            var dayStart = zone.AtStartOfDay(date).ToInstant();
            var dayEnd = zone.AtStartOfDay(date.PlusDays(1)).ToInstant();
            var dayWorking = DayIntervals.Overlap(working, dayStart, dayEnd, ref dayCursor);
            var opening = device.Opening.On(date, zone);
            var openEnd = DayIntervals.Min(opening.End, now);
            var open = openEnd > opening.Start ? openEnd - opening.Start : Duration.Zero;
            var workingInOpen = open > Duration.Zero ? DayIntervals.Overlap(working, opening.Start, openEnd, ref openCursor) : Duration.Zero;
            var (n, d) = examCounts.GetValueOrDefault(date);
            days.Add(new UsageDay(date, n, d, dayWorking, open, Ratio(workingInOpen, open)));
            inOpen.Add(workingInOpen);
        }

        var totalOpen = Sum(days.Select(d => d.Open));
        var usage = new DeviceUsage(device.Id, device.DeviceClass, zone.Id, source, days.Sum(d => d.Exams), days.Sum(d => d.Discontinued),
            Sum(days.Select(d => d.Working)), totalOpen, Ratio(Sum(inOpen), totalOpen), days);
        return (usage, [.. inOpen], skipped);
    }

    // A state holds from its event to the next one; the last holds until the end (the range's end or now).
    private static IEnumerable<Interval> StateIntervals(List<(Instant At, string State)> states, Instant end)
    {
        for (var i = 0; i < states.Count; i++)
        {
            if (!UsageRules.IsWorking(states[i].State)) continue;
            var until = i + 1 < states.Count ? states[i + 1].At : end;
            if (until > states[i].At) yield return new Interval(states[i].At, until);
        }
    }

    private static ClassUsage ClassOf(string? deviceClass, (DeviceUsage Usage, Duration[] WorkingInOpen)[] members)
    {
        var dayCount = members[0].Usage.Days.Count;
        var days = new List<UsageDay>(dayCount);
        var totalInOpen = Duration.Zero;
        for (var i = 0; i < dayCount; i++)
        {
            var open = Sum(members.Select(m => m.Usage.Days[i].Open));
            var inOpen = Sum(members.Select(m => m.WorkingInOpen[i]));
            totalInOpen += inOpen;
            days.Add(new UsageDay(members[0].Usage.Days[i].Date, members.Sum(m => m.Usage.Days[i].Exams), members.Sum(m => m.Usage.Days[i].Discontinued),
                Sum(members.Select(m => m.Usage.Days[i].Working)), open, Ratio(inOpen, open)));
        }
        var totalOpen = Sum(days.Select(d => d.Open));
        return new ClassUsage(deviceClass, members.Length, days.Sum(d => d.Exams), days.Sum(d => d.Discontinued), Sum(days.Select(d => d.Working)),
            totalOpen, Ratio(totalInOpen, totalOpen), days);
    }

    private static Duration Sum(IEnumerable<Duration> durations) => durations.Aggregate(Duration.Zero, (a, b) => a + b);

    private static double? Ratio(Duration part, Duration whole) => whole > Duration.Zero ? part.TotalTicks / whole.TotalTicks : null;
}
