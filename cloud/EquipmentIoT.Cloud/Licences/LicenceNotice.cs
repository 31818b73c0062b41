using NodaTime;

namespace EquipmentIoT.Cloud.Licences;

/// <summary>Why a reminder was decided.</summary>
public enum NoticeKind
{
    /// <summary>The licence entered a band (escalation number 0).</summary>
    Entered,

    /// <summary>A weekly repeat while a licence stays red (escalation 1, 2, …).</summary>
    Escalation,
}

/// <summary>Where a reminder is.</summary>
public enum NoticeState
{
    /// <summary>Decided and recorded, not yet accepted by the outbox.</summary>
    Pending,

    /// <summary>The outbox accepted it (<see cref="LicenceNotice.MessageId"/>).</summary>
    Sent,

    /// <summary>The licence had no responsible manager: the decision is recorded, nothing was sent.</summary>
    Unaddressed,

    /// <summary>Withdrawn before it was sent (the licence was resolved or its deadline changed).</summary>
    Cancelled,
}

/// <summary>
/// One reminder decision for one recipient, as the <c>licence_notices</c> table keeps it: unique per licence, deadline,
/// band, escalation number and recipient, which is what makes the daily job idempotent across runs and instances.
/// </summary>
/// <param name="Recipient">The manager's E.164 number, or "" when the licence had none (<see cref="NoticeState.Unaddressed"/>).</param>
/// <param name="Day">The licence's local date the decision was made on (escalations count weeks from the red one's).</param>
public sealed record LicenceNotice(long Id, long LicenceId, LocalDate Deadline, LicenceBand Band, NoticeKind Kind, int Escalation, LocalDate Day,
    Instant At, string Recipient, string? RecipientName, string Text, NoticeState State, string? MessageId, Instant? SentAt, string? Error);

/// <summary>A reminder about to be recorded (see <see cref="ILicenceStore.TryClaimAsync"/>).</summary>
public sealed record NoticeClaim(long LicenceId, LocalDate Deadline, LicenceBand Band, NoticeKind Kind, int Escalation, LocalDate Day, Instant At,
    string Recipient, string? RecipientName, string Text);
