using EquipmentIoT.Cloud.Licences;
using Microsoft.AspNetCore.Mvc;

namespace EquipmentIoT.Cloud.Web.Pages;

/// <summary>A licence on the board: its band and days left today (in its site's calendar), and the SMS reminders decided for it.</summary>
public sealed record LicenceRow(Licence Licence, LicenceBand Band, int DaysLeft, IReadOnlyList<LicenceNotice> Notices);

/// <summary>
/// The configuration licence board, coloured by band (blue ≤ 6 months, yellow ≤ 3, orange ≤ 1, red overdue), sortable by deadline,
/// with every SMS reminder sent for each licence.
/// </summary>
public sealed class LicencesModel(ILicenceStore store, LicenceCalendar calendar) : UiPageModel
{
    private const int MaxLicences = 300;

    /// <summary>"deadline" (default, soonest first) or "-deadline".</summary>
    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    /// <summary>"active" (default) or "all".</summary>
    [BindProperty(SupportsGet = true)]
    public string? Show { get; set; }

    public bool Descending => Sort == "-deadline";

    public IReadOnlyList<LicenceRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var day = await calendar.NowAsync(cancellationToken);
        var licences = await store.ListAsync(new LicenceQuery(Status: Show == "all" ? null : LicenceStatus.Active, Limit: MaxLicences), cancellationToken);
        var rows = new List<LicenceRow>(licences.Count);
        foreach (var l in Descending ? licences.OrderByDescending(l => l.Deadline).ThenByDescending(l => l.Id) : licences.AsEnumerable())
        {
            var notices = await store.NoticesAsync(l.Id, cancellationToken);
            rows.Add(new LicenceRow(l, l.Status == LicenceStatus.Active ? day.BandOf(l) : LicenceBand.None, LicenceBands.DaysLeft(l.Deadline, day.TodayOf(l)),
                notices));
        }

        Rows = rows;
    }
}
