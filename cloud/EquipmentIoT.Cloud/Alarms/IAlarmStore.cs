using NodaTime;

namespace EquipmentIoT.Cloud.Alarms;

/// <summary>Alarms and their transitions. One open alarm per (rule, device): the store refuses a second.</summary>
public interface IAlarmStore
{
    /// <summary>The open alarm of a (rule, device), else its newest closed one (its toggles feed flap detection), else null.</summary>
    Task<Alarm?> LatestAsync(string ruleId, string device, CancellationToken cancellationToken);

    /// <summary>
    /// Saves a step in one transaction: inserts the alarm (id 0) or updates it (only if its stored version is the step's version), and
    /// records its transitions. Returns the alarm as saved (id set, version bumped).
    /// </summary>
    /// <exception cref="AlarmConflictException">The alarm changed since it was read, or a second open alarm for its (rule, device).</exception>
    Task<Alarm> SaveAsync(AlarmStep change, CancellationToken cancellationToken);

    /// <summary>One alarm, or null.</summary>
    Task<Alarm?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>One alarm with its transitions, or null.</summary>
    Task<AlarmDetail?> GetDetailAsync(long id, CancellationToken cancellationToken);

    /// <summary>Alarms matching every given field of the query, most severe first then newest first (open only) or newest first.</summary>
    Task<IReadOnlyList<Alarm>> ListAsync(AlarmQuery query, CancellationToken cancellationToken);
}

/// <summary>
/// Alarm listing: <paramref name="Open"/> true for the open alarms, false for closed ones, null for both (history);
/// <paramref name="From"/>/<paramref name="To"/> bound the raise time.
/// </summary>
public sealed record AlarmQuery(bool? Open = null, string? Device = null, string? Site = null, AlarmSeverity? Severity = null,
    AlarmState? State = null, string? RuleId = null, Instant? From = null, Instant? To = null, int Limit = 100);

/// <summary>Another writer changed the alarm first (or opened one for the same rule and device); read it again and retry.</summary>
public sealed class AlarmConflictException : Exception
{
    /// <summary>With a message.</summary>
    public AlarmConflictException(string message)
        : base(message)
    {
    }

    /// <summary>With a message and the store's error.</summary>
    public AlarmConflictException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Without details.</summary>
    public AlarmConflictException()
    {
    }
}
