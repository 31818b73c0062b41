using EquipmentIoT.Cloud.Storage;
using NodaTime;

namespace EquipmentIoT.Cloud.Licences;

/// <summary>
/// Changes to the licence register, each checked first: the fields (<see cref="LicenceRules"/>), that the site and the
/// device exist in the registry, that the number is free, and that the status allows the change. Every refusal is a
/// <see cref="LicenceResult"/> with reasons.
/// </summary>
public sealed class LicenceService(ILicenceStore store, IRegistryStore registry, LicenceCalendar calendar, IClock clock)
{
    public const int MaxNoteLength = 500;

    /// <summary>Registers a licence (active).</summary>
    public async Task<LicenceResult> CreateAsync(LicenceRequest request, CancellationToken cancellationToken)
    {
        var errors = LicenceRules.Check(request, out var draft);
        if (draft is null) return LicenceResult.Invalid(errors);
        if (await ReferencesAsync(draft, cancellationToken).ConfigureAwait(false) is { } bad) return bad;
        if (await store.FindAsync(draft.Number, cancellationToken).ConfigureAwait(false) is not null) return Taken(draft.Number);
        try
        {
            return LicenceResult.Ok(await store.CreateAsync(draft, clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false));
        }
        catch (LicenceNumberTakenException)
        {
            return Taken(draft.Number);
        }
    }

    /// <summary>Replaces what a licence says; its status and reminders stay. A revoked licence is not edited.</summary>
    public async Task<LicenceResult> UpdateAsync(long id, LicenceRequest request, CancellationToken cancellationToken)
    {
        var errors = LicenceRules.Check(request, out var draft);
        if (draft is null) return LicenceResult.Invalid(errors);
        if (await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } existing) return LicenceResult.NotFound(id);
        if (existing.Status == LicenceStatus.Revoked) return LicenceResult.Conflict("status", "a revoked licence is not edited");
        if (await ReferencesAsync(draft, cancellationToken).ConfigureAwait(false) is { } bad) return bad;
        if (await store.FindAsync(draft.Number, cancellationToken).ConfigureAwait(false) is { } holder && holder.Id != id) return Taken(draft.Number);
        try
        {
            var updated = await store.UpdateAsync(id, draft, clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
            return updated is null ? LicenceResult.NotFound(id) : LicenceResult.Ok(updated);
        }
        catch (LicenceNumberTakenException)
        {
            return Taken(draft.Number);
        }
    }

    /// <summary>
    /// Records the installation: the device (given here or already linked, known to the registry) and the date (default
    /// today at the licence's site). Only an active licence is fulfilled; reminders stop.
    /// </summary>
    public async Task<LicenceResult> FulfilAsync(long id, string? deviceId, LocalDate? on, string? note, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } licence) return LicenceResult.NotFound(id);
        if (licence.Status != LicenceStatus.Active)
            return LicenceResult.Conflict("status", $"the licence is {Name(licence.Status)}: only an active licence is fulfilled");
        var device = string.IsNullOrWhiteSpace(deviceId) ? licence.DeviceId : deviceId.Trim();
        if (device is null) return LicenceResult.Invalid("deviceId", "required: the device installed under the licence");
        if (await registry.GetDeviceAsync(device, cancellationToken).ConfigureAwait(false) is null)
            return LicenceResult.Invalid("deviceId", $"no device '{device}' is known to the registry");
        return await ChangeAsync(licence, LicenceStatus.Fulfilled, on, device, note, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records a revocation with its reason and date (default today at the licence's site); reminders stop.</summary>
    public async Task<LicenceResult> RevokeAsync(long id, string? reason, LocalDate? on, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason)) return LicenceResult.Invalid("reason", "required: why the licence is revoked");
        if (await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } licence) return LicenceResult.NotFound(id);
        if (licence.Status == LicenceStatus.Revoked) return LicenceResult.Conflict("status", "the licence is revoked already");
        return await ChangeAsync(licence, LicenceStatus.Revoked, on, null, reason, cancellationToken).ConfigureAwait(false);
    }

    private async Task<LicenceResult> ChangeAsync(Licence licence, LicenceStatus status, LocalDate? on, string? device, string? note,
        CancellationToken cancellationToken)
    {
        var trimmed = note?.Trim();
        if (trimmed is { Length: > MaxNoteLength }) return LicenceResult.Invalid("note", $"at most {MaxNoteLength} characters");
        var today = (await calendar.NowAsync(cancellationToken).ConfigureAwait(false)).TodayOf(licence);
        var date = on ?? today;
        if (date > today) return LicenceResult.Invalid("on", $"{date:uuuu-MM-dd} is in the future (today is {today:uuuu-MM-dd} at the licence's site)");
        if (date < licence.IssueDate) return LicenceResult.Invalid("on", $"{date:uuuu-MM-dd} is before the licence was issued ({licence.IssueDate:uuuu-MM-dd})");
        var changed = await store.SetStatusAsync(licence.Id, new LicenceStatusChange(status, date, device, string.IsNullOrEmpty(trimmed) ? null : trimmed),
            clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
        return changed is null ? LicenceResult.NotFound(licence.Id) : LicenceResult.Ok(changed);
    }

    private async Task<LicenceResult?> ReferencesAsync(LicenceDraft draft, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (draft.SiteId is { } site && !(await registry.ListSitesAsync(cancellationToken).ConfigureAwait(false)).Any(s => s.Id == site))
            errors["siteId"] = [$"no site '{site}': create it first (PUT /api/v1/sites/{site})"];
        if (draft.DeviceId is { } device && await registry.GetDeviceAsync(device, cancellationToken).ConfigureAwait(false) is null)
            errors["deviceId"] = [$"no device '{device}' is known to the registry"];
        return errors.Count == 0 ? null : LicenceResult.Invalid(errors);
    }

    private static LicenceResult Taken(string number) => LicenceResult.Conflict("number", $"licence number '{number}' is registered already");

    private static string Name(LicenceStatus status) => status.ToString().ToLowerInvariant();
}
