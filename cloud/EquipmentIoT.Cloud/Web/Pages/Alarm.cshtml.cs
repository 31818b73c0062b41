using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace EquipmentIoT.Cloud.Web.Pages;

/// <summary>One alarm with every transition, and the acknowledge / shelve / unshelve / resolve forms for the roles that handle alarms.</summary>
public sealed class AlarmModel(IAlarmStore store, AlarmManager manager, IRegistryStore registry, IClock clock) : UiPageModel
{
    /// <summary>The shelf lengths offered (hours).</summary>
    public static readonly int[] ShelfHours = [1, 4, 8, 24];

    public AlarmDetail? Detail { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        Detail = await store.GetDetailAsync(id, cancellationToken);
        if (Detail is null) return NotFound();
        if (await registry.GetDeviceAsync(Detail.Alarm.Device, cancellationToken) is { } device) Ui.KnowDevices([device]);
        return Page();
    }

    public Task<IActionResult> OnPostAckAsync(long id, string? comment, CancellationToken cancellationToken) =>
        RunAsync(now => manager.AcknowledgeAsync(id, Actor, Comment(comment), now, cancellationToken));

    public Task<IActionResult> OnPostShelveAsync(long id, int hours, string? comment, CancellationToken cancellationToken) =>
        RunAsync(now => manager.ShelveAsync(id, now + Duration.FromHours(Math.Clamp(hours, 1, 24 * 7)), Actor, Comment(comment), now, cancellationToken));

    public Task<IActionResult> OnPostUnshelveAsync(long id, string? comment, CancellationToken cancellationToken) =>
        RunAsync(now => manager.UnshelveAsync(id, Actor, Comment(comment), now, cancellationToken));

    public Task<IActionResult> OnPostResolveAsync(long id, string? comment, CancellationToken cancellationToken) =>
        RunAsync(now => manager.ResolveAsync(id, Actor, Comment(comment), now, cancellationToken));

    private async Task<IActionResult> RunAsync(Func<Instant, Task<AlarmCommandResult>> command)
    {
        if (!Can(ApiPolicies.HandleAlarms)) return Denied();
        var result = await command(clock.GetCurrentInstant());
        return Back(result.Success ? Ui.T("common.done") : Ui.T("common.refused") + result.Reason, !result.Success);
    }

    private static string? Comment(string? comment) => string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
}
