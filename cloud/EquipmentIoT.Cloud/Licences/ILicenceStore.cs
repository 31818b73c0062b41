using NodaTime;

namespace EquipmentIoT.Cloud.Licences;

/// <summary>The licence register and the reminders sent for it (records.db, component "licences").</summary>
public interface ILicenceStore
{
    /// <summary>Stores a new active licence. Fails with <see cref="LicenceNumberTakenException"/> when the number exists.</summary>
    Task<Licence> CreateAsync(LicenceDraft draft, Instant at, CancellationToken cancellationToken);

    /// <summary>Replaces what a licence says (not its status); null when there is no such licence.</summary>
    /// <exception cref="LicenceNumberTakenException">Another licence has the new number.</exception>
    Task<Licence?> UpdateAsync(long id, LicenceDraft draft, Instant at, CancellationToken cancellationToken);

    /// <summary>Records a status change (fulfilled with its device, or revoked); null when there is no such licence.</summary>
    Task<Licence?> SetStatusAsync(long id, LicenceStatusChange change, Instant at, CancellationToken cancellationToken);

    Task<Licence?> GetAsync(long id, CancellationToken cancellationToken);

    Task<Licence?> FindAsync(string number, CancellationToken cancellationToken);

    /// <summary>Licences matching every given field of the query, by deadline then id.</summary>
    Task<IReadOnlyList<Licence>> ListAsync(LicenceQuery query, CancellationToken cancellationToken);

    /// <summary>Every reminder decided for a licence, oldest first.</summary>
    Task<IReadOnlyList<LicenceNotice>> NoticesAsync(long licenceId, CancellationToken cancellationToken);

    /// <summary>
    /// Records a reminder before it is sent. Null when one with the same licence, deadline, band, escalation number and
    /// recipient exists already: that reminder belongs to whoever recorded it (another run, another instance).
    /// </summary>
    Task<LicenceNotice?> TryClaimAsync(NoticeClaim claim, CancellationToken cancellationToken);

    /// <summary>Reminders claimed but not yet handed to the outbox (a failed send, a crash between claim and send).</summary>
    Task<IReadOnlyList<LicenceNotice>> PendingAsync(CancellationToken cancellationToken);

    /// <summary>Marks a pending reminder sent with the outbox's message id.</summary>
    Task MarkSentAsync(long noticeId, string messageId, Instant at, CancellationToken cancellationToken);

    /// <summary>Notes why sending failed; the reminder stays pending and is tried again on the next run.</summary>
    Task MarkFailedAsync(long noticeId, string reason, CancellationToken cancellationToken);

    /// <summary>Withdraws a pending reminder whose licence was resolved or whose deadline changed before it could be sent.</summary>
    Task CancelAsync(long noticeId, string reason, CancellationToken cancellationToken);
}

/// <summary>Licence search; null fields do not filter.</summary>
public sealed record LicenceQuery(LicenceStatus? Status = null, string? Region = null, LicenceCategory? Category = null, string? SiteId = null,
    string? Number = null, LocalDate? DeadlineFrom = null, LocalDate? DeadlineTo = null, int Limit = 10_000);

/// <summary>A status change: fulfilled on a date with the installed device, or revoked on a date for a reason.</summary>
public sealed record LicenceStatusChange(LicenceStatus Status, LocalDate On, string? DeviceId, string? Note);

/// <summary>The number is held by another licence.</summary>
public sealed class LicenceNumberTakenException(string number) : Exception($"licence number '{number}' is registered already")
{
    public string Number { get; } = number;
}
