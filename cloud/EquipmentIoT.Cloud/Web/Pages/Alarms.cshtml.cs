using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace EquipmentIoT.Cloud.Web.Pages;

/// <summary>
/// Alarms: the open ones (most severe first) or the history (newest first, paged by raise time), with acknowledge-with-comment
/// on each open row for the roles that handle alarms. Shelve, unshelve, resolve and the transitions are on the alarm's page.
/// </summary>
public sealed class AlarmsModel(IAlarmStore store, AlarmManager manager, IRegistryStore registry, IClock clock) : UiPageModel
{
    private const int PageSize = 50;

    /// <summary>"open" (default) or "history".</summary>
    [BindProperty(SupportsGet = true)]
    public string? View { get; set; }

    /// <summary>History paging: alarms raised before this instant (ticks of Unix ms).</summary>
    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public bool History => View == "history";

    public IReadOnlyList<Alarm> Alarms { get; private set; } = [];

    /// <summary>The raise time to continue the history from, when there may be more.</summary>
    public long? Next { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Ui.KnowDevices(await registry.ListDevicesAsync(new DeviceQuery(Limit: 10_000), cancellationToken));
        var to = Before is { } b ? Instant.FromUnixTimeMilliseconds(b) : (Instant?)null;
        Alarms = await store.ListAsync(new AlarmQuery(Open: History ? null : true, To: to, Limit: PageSize), cancellationToken);
        if (History && Alarms.Count == PageSize) Next = Alarms[^1].RaisedAt.ToUnixTimeMilliseconds();
    }

    /// <summary>Acknowledges an alarm with a comment (engineers, managers, admins).</summary>
    public async Task<IActionResult> OnPostAckAsync(long id, string? comment, CancellationToken cancellationToken)
    {
        if (!Can(ApiPolicies.HandleAlarms)) return Denied();
        var result = await manager.AcknowledgeAsync(id, Actor, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(), clock.GetCurrentInstant(), cancellationToken);
        return Back(result.Success ? Ui.T("common.done") : Ui.T("common.refused") + result.Reason, !result.Success, new { view = View });
    }
}
