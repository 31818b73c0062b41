using NodaTime;

namespace EquipmentIoT.Cloud.Licences;

/// <summary>The span a report covers: the calendar month or year of a date.</summary>
public enum ReportPeriod
{
    Month,
    Year,
}

/// <summary>
/// The licence report of a month or a year, per region and category.
/// <list type="bullet">
/// <item><see cref="AsOf"/>: the day the bands are counted on — today, clamped into the period (its last day for a past
/// period, its first for a future one).</item>
/// <item>Active and the bands: licences active on <see cref="AsOf"/> (issued, not yet fulfilled or revoked by then), by
/// their band on that day.</item>
/// <item>Expiring: deadline inside the period (not revoked before the period began). Overdue: of those, deadline
/// already passed on <see cref="AsOf"/> without fulfilment or revocation by the deadline.</item>
/// <item>Fulfilled, Revoked: status changes dated inside the period.</item>
/// </list>
/// </summary>
public sealed record LicenceReport(ReportPeriod Period, LocalDate From, LocalDate To, LocalDate AsOf, IReadOnlyList<LicenceReportRow> Rows,
    LicenceCounts Totals, IReadOnlyList<LicenceReportEntry> Expiring)
{
    /// <summary>Builds the report of the period containing <paramref name="date"/> from the whole register.</summary>
    public static LicenceReport Build(IEnumerable<Licence> licences, ReportPeriod period, LocalDate date, LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(licences);
        var from = period == ReportPeriod.Year ? new LocalDate(date.Year, 1, 1) : new LocalDate(date.Year, date.Month, 1);
        var to = (period == ReportPeriod.Year ? from.PlusYears(1) : from.PlusMonths(1)).PlusDays(-1);
        var asOf = today < from ? from : today > to ? to : today;

        var rows = new List<LicenceReportRow>();
        var expiring = new List<LicenceReportEntry>();
        foreach (var group in licences.GroupBy(l => (l.Region, l.Category)).OrderBy(g => g.Key.Region, StringComparer.Ordinal).ThenBy(g => g.Key.Category))
        {
            var counts = new LicenceCounts();
            foreach (var licence in group)
            {
                var entry = Count(licence, from, to, asOf, counts);
                if (entry is not null) expiring.Add(entry);
            }

            if (!counts.IsEmpty) rows.Add(new LicenceReportRow(group.Key.Region, group.Key.Category, counts));
        }

        var totals = new LicenceCounts();
        foreach (var row in rows) totals.Add(row.Counts);
        return new LicenceReport(period, from, to, asOf, rows, totals, [.. expiring.OrderBy(e => e.Deadline).ThenBy(e => e.Number, StringComparer.Ordinal)]);
    }

    // Counts one licence into its row; returns its entry when it expires in the period.
    private static LicenceReportEntry? Count(Licence l, LocalDate from, LocalDate to, LocalDate asOf, LicenceCounts counts)
    {
        var revokedBy = (LocalDate d) => l.RevokedOn is { } r && r <= d;
        var fulfilledBy = (LocalDate d) => l.FulfilledOn is { } f && f <= d;
        var band = LicenceBand.None;
        if (l.IssueDate <= asOf && !revokedBy(asOf) && !fulfilledBy(asOf))
        {
            band = LicenceBands.On(l.Deadline, asOf);
            counts.Active++;
            counts.Increment(band);
        }

        if (l.FulfilledOn is { } fulfilled && fulfilled >= from && fulfilled <= to) counts.Fulfilled++;
        if (l.RevokedOn is { } revoked && revoked >= from && revoked <= to) counts.Revoked++;
        if (l.Deadline < from || l.Deadline > to || (l.RevokedOn is { } gone && gone < from)) return null;
        counts.Expiring++;
        if (l.Deadline < asOf && !fulfilledBy(l.Deadline) && !revokedBy(l.Deadline)) counts.Overdue++;
        return new LicenceReportEntry(l.Id, l.Number, l.Region, l.Category, l.EquipmentType, l.Holder, l.Deadline, l.Status, band);
    }
}

/// <summary>One region and category of a report.</summary>
public sealed record LicenceReportRow(string Region, LicenceCategory Category, LicenceCounts Counts);

/// <summary>A licence whose deadline falls in the report's period; <paramref name="Band"/> is its band on the report's day (none once resolved).</summary>
public sealed record LicenceReportEntry(long Id, string Number, string Region, LicenceCategory Category, string EquipmentType, string Holder,
    LocalDate Deadline, LicenceStatus Status, LicenceBand Band);

/// <summary>The counts of a report row (see <see cref="LicenceReport"/> for what each means).</summary>
public sealed class LicenceCounts
{
    public int Active { get; set; }

    public int None { get; set; }

    public int Blue { get; set; }

    public int Yellow { get; set; }

    public int Orange { get; set; }

    public int Red { get; set; }

    public int Expiring { get; set; }

    public int Overdue { get; set; }

    public int Fulfilled { get; set; }

    public int Revoked { get; set; }

    internal bool IsEmpty => Active + Expiring + Fulfilled + Revoked == 0;

    /// <summary>The columns in report order.</summary>
    public IReadOnlyList<int> Columns() => [Active, None, Blue, Yellow, Orange, Red, Expiring, Overdue, Fulfilled, Revoked];

    internal void Increment(LicenceBand band)
    {
        switch (band)
        {
            case LicenceBand.Blue: Blue++; break;
            case LicenceBand.Yellow: Yellow++; break;
            case LicenceBand.Orange: Orange++; break;
            case LicenceBand.Red: Red++; break;
            default: None++; break;
        }
    }

    internal void Add(LicenceCounts other)
    {
        Active += other.Active;
        None += other.None;
        Blue += other.Blue;
        Yellow += other.Yellow;
        Orange += other.Orange;
        Red += other.Red;
        Expiring += other.Expiring;
        Overdue += other.Overdue;
        Fulfilled += other.Fulfilled;
        Revoked += other.Revoked;
    }
}
