using Microsoft.Extensions.Logging;
using NodaTime;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>
/// Sends maintenance notices through <see cref="IMaintenanceNotifier"/>: reminders and overdue notices once per key (claimed in the store
/// first, so that a second run or instance does not send them again; released when the send fails, so that the next run tries again),
/// and "work order opened" notices best-effort (the order exists either way).
/// </summary>
public sealed partial class MaintenanceNotices(IMaintenanceStore store, IMaintenanceNotifier notifier, ILogger<MaintenanceNotices> logger)
{
    /// <summary>Sends the notice unless <paramref name="key"/> was sent before; true when it went out now, false when it had gone already.</summary>
    /// <exception cref="MaintenanceNoticeException">The notifier failed (the key is released again).</exception>
    public async Task<bool> OnceAsync(string key, MaintenanceNotice notice, Instant now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (!await store.ClaimNoticeAsync(key, notice.Kind, now, cancellationToken).ConfigureAwait(false)) return false;
        try
        {
            await notifier.NotifyAsync(notice, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await store.ReleaseNoticeAsync(key, CancellationToken.None).ConfigureAwait(false);
            throw new MaintenanceNoticeException($"notice {key} was not sent: {e.Message}", e);
        }
    }

    /// <summary>Tells people about a work order the system opened; a failure is logged (the order is saved and listed regardless).</summary>
    public async Task OpenedAsync(WorkOrder order, DevicePlace place, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(place);
        var notice = new MaintenanceNotice(MaintenanceNoticeKind.WorkOrderOpened, order.Device, place.Site, place.DeviceClass, order.Title, order.Due,
            place.Zone.Id, order.Priority, message, order.PlanId, order.Id, order.CalibrationId);
        try
        {
            await notifier.NotifyAsync(notice, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            NotifyFailed(logger, e, order.Id);
        }
    }

    [LoggerMessage(EventId = 5402, Level = LogLevel.Warning, Message = "The notice of work order {WorkOrderId} being opened was not sent")]
    private static partial void NotifyFailed(ILogger logger, Exception exception, long workOrderId);
}

/// <summary>A notice could not be sent (the notifier failed); it will be tried again on the next run.</summary>
public sealed class MaintenanceNoticeException(string message, Exception inner) : Exception(message, inner);
