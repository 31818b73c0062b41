namespace EquipmentIoT.Cloud.Alarms;

/// <summary>What an observer is told about.</summary>
public enum AlarmNoticeKind
{
    /// <summary>A new alarm (firing, or flapping from the start).</summary>
    Raised,

    /// <summary>Not acknowledged in time; <see cref="AlarmNotice.Level"/> says how far it went.</summary>
    Escalated,

    /// <summary>An alarm started flapping (one notice, not one per toggle).</summary>
    Flapping,

    /// <summary>The condition cleared (or the alarm was resolved by hand).</summary>
    Resolved,
}

/// <summary>A notice for observers; <see cref="Alarm"/> is as saved.</summary>
public sealed record AlarmNotice(AlarmNoticeKind Kind, Alarm Alarm, int? Level = null);

/// <summary>
/// Told about raises, escalations, flapping and resolutions after they are saved, in order; never about a shelved alarm (shelving
/// suppresses notifications). Notifications hook in here: an implementation should only enqueue (durably) and return quickly. An
/// exception is logged and does not undo the alarm's change.
/// </summary>
public interface IAlarmObserver
{
    /// <summary>Called once per notice.</summary>
    Task OnAlarmAsync(AlarmNotice notice, CancellationToken cancellationToken);
}
