using Microsoft.Extensions.Logging;
using NodaTime;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>What a maintenance notice is about.</summary>
public enum MaintenanceNoticeKind
{
    /// <summary>A plan's occurrence comes due soon (its reminder lead was reached).</summary>
    PlanReminder,

    /// <summary>A work order was opened by the system (a plan or calibration came due, an alarm asked for a repair).</summary>
    WorkOrderOpened,

    /// <summary>An open work order's due day has passed.</summary>
    WorkOrderOverdue,

    /// <summary>A calibration item comes due soon.</summary>
    CalibrationReminder,
}

/// <summary>
/// One notice for people. Each goes once: reminders and overdue notices are recorded in the store before they are sent (a failed send
/// is forgotten again, so the next run tries once more).
/// </summary>
/// <param name="Due">The site-local due date.</param>
/// <param name="TimeZone">The site's IANA zone the dates are in.</param>
/// <param name="Site">The device's site, for routing, when known.</param>
/// <param name="DeviceClass">The device's class, for routing, when known.</param>
/// <param name="Message">One line for people.</param>
public sealed record MaintenanceNotice(MaintenanceNoticeKind Kind, string Device, string? Site, string? DeviceClass, string Title, LocalDate Due,
    string TimeZone, WorkOrderPriority Priority, string Message, long? PlanId = null, long? WorkOrderId = null, long? CalibrationId = null);

/// <summary>Sends maintenance notices (the host binds it to notifications; an implementation should enqueue durably and return quickly).</summary>
public interface IMaintenanceNotifier
{
    /// <summary>Sends one notice; an exception means it was not sent.</summary>
    Task NotifyAsync(MaintenanceNotice notice, CancellationToken ct);
}

/// <summary>The notifier until notifications are bound: notices go to the log.</summary>
public sealed partial class LoggingMaintenanceNotifier(ILogger<LoggingMaintenanceNotifier> logger) : IMaintenanceNotifier
{
    /// <inheritdoc/>
    public Task NotifyAsync(MaintenanceNotice notice, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(notice);
        Log(logger, notice.Kind, notice.Device, notice.Message);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 5401, Level = LogLevel.Information, Message = "Maintenance {Kind} for {Device}: {Message}")]
    private static partial void Log(ILogger logger, MaintenanceNoticeKind kind, string device, string message);
}
