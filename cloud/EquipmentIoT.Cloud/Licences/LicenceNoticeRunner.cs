using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Licences;

/// <summary>
/// The daily reminder run. For each active licence, on its site's local date:
/// <list type="number">
/// <item>its band today (<see cref="LicenceBands"/>); nothing before blue;</item>
/// <item>the reminder due now: entering that band (escalation 0); once red, the n-th weekly repeat when n whole
/// <see cref="LicenceOptions.EscalationDays"/> have passed since the day red was entered (only the latest n: a
/// cloud that was down does not send the repeats it missed);</item>
/// <item>for each responsible manager, that reminder is claimed in licence_notices (unique per licence, deadline, band,
/// escalation, phone) and only the run that claimed it hands it to the outbox.</item>
/// </list>
/// Because the run looks only at today's band, a cloud that was down for weeks sends the current band's reminder once,
/// not one per band it missed; because claims are unique, a second run the same day (or a second instance) sends
/// nothing. A reminder that could not be handed over stays pending and is tried again by a later run with the same
/// dedup key, so the outbox sends it once even if the first hand-over did reach it.
/// </summary>
public sealed class LicenceNoticeRunner(ILicenceStore store, LicenceCalendar calendar, LicenceTexts texts, ILicenceSms sms,
    IOptions<LicenceOptions> options, ILogger<LicenceNoticeRunner> logger)
{
    /// <summary>A pending reminder younger than this may still be in another run's hands; older ones were abandoned.</summary>
    public static readonly Duration AbandonedAfter = Duration.FromMinutes(5);

    /// <summary>Runs once; safe to call any number of times a day, from any number of instances.</summary>
    public async Task<LicenceRunSummary> RunAsync(CancellationToken cancellationToken)
    {
        var day = await calendar.NowAsync(cancellationToken).ConfigureAwait(false);
        var licences = await store.ListAsync(new LicenceQuery(Status: LicenceStatus.Active), cancellationToken).ConfigureAwait(false);
        var summary = new LicenceRunSummary { Licences = licences.Count };
        await RetryPendingAsync(licences, day, summary, cancellationToken).ConfigureAwait(false);

        foreach (var licence in licences)
        {
            var today = day.TodayOf(licence);
            var band = LicenceBands.On(licence.Deadline, today);
            if (band == LicenceBand.None) continue;
            var notices = (await store.NoticesAsync(licence.Id, cancellationToken).ConfigureAwait(false)).Where(n => n.Deadline == licence.Deadline).ToList();
            var (kind, escalation) = Due(band, today, notices, options.Value.EscalationDays);
            IReadOnlyList<LicenceManager?> recipients = licence.Managers.Count == 0 ? [null] : [.. licence.Managers];
            foreach (var recipient in recipients)
            {
                var claim = new NoticeClaim(licence.Id, licence.Deadline, band, kind, escalation, today, day.Now, recipient?.Phone ?? "", recipient?.Name,
                    texts.Render(licence, band, escalation, today, recipient));
                if (await store.TryClaimAsync(claim, cancellationToken).ConfigureAwait(false) is not { } notice) continue;
                summary.Decided++;
                if (recipient is null)
                {
                    summary.Unaddressed++;
                    LicenceLog.Unaddressed(logger, licence.Number, LicenceTexts.Name(band));
                    continue;
                }

                await SendAsync(notice, day.Now, summary, cancellationToken).ConfigureAwait(false);
            }
        }

        LicenceLog.Ran(logger, summary.Licences, summary.Decided, summary.Sent, summary.Failed, summary.Retried, summary.Cancelled);
        return summary;
    }

    /// <summary>
    /// The reminder due for a licence in <paramref name="band"/> on <paramref name="today"/>, given the reminders already
    /// recorded for its current deadline: entering the band, or in red the latest weekly repeat that has come due.
    /// </summary>
    public static (NoticeKind Kind, int Escalation) Due(LicenceBand band, LocalDate today, IReadOnlyList<LicenceNotice> notices, int escalationDays)
    {
        ArgumentNullException.ThrowIfNull(notices);
        ArgumentOutOfRangeException.ThrowIfLessThan(escalationDays, 1);
        if (band != LicenceBand.Red) return (NoticeKind.Entered, 0);
        var entered = notices.Where(n => n.Band == LicenceBand.Red && n.Escalation == 0).Select(n => (LocalDate?)n.Day).Min();
        if (entered is not { } redSince || redSince > today) return (NoticeKind.Entered, 0);
        var weeks = Period.Between(redSince, today, PeriodUnits.Days).Days / escalationDays;
        return weeks == 0 ? (NoticeKind.Entered, 0) : (NoticeKind.Escalation, weeks);
    }

    /// <summary>The outbox's dedup key of a reminder: the same reminder always has the same key.</summary>
    public static string DedupKey(LicenceNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return $"licence:{notice.LicenceId}:{LocalDatePattern.Iso.Format(notice.Deadline)}:{LicenceTexts.Name(notice.Band)}:{notice.Escalation}:{notice.Recipient}";
    }

    private async Task RetryPendingAsync(IReadOnlyList<Licence> active, LicenceDay day, LicenceRunSummary summary, CancellationToken cancellationToken)
    {
        var byId = active.ToDictionary(l => l.Id);
        foreach (var pending in await store.PendingAsync(cancellationToken).ConfigureAwait(false))
        {
            if (day.Now - pending.At < AbandonedAfter) continue;
            if (!byId.TryGetValue(pending.LicenceId, out var licence) || licence.Deadline != pending.Deadline)
            {
                await store.CancelAsync(pending.Id, "the licence was resolved or its deadline changed before the reminder was sent", cancellationToken)
                    .ConfigureAwait(false);
                summary.Cancelled++;
                continue;
            }

            summary.Retried++;
            await SendAsync(pending, day.Now, summary, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(LicenceNotice notice, Instant now, LicenceRunSummary summary, CancellationToken cancellationToken)
    {
        string messageId;
        try
        {
            messageId = await sms.EnqueueAsync(notice.Recipient, notice.Text, DedupKey(notice), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The outbox is our own store: a failure is an outage, retried by the next run; other reminders go on.
            summary.Failed++;
            LicenceLog.SendFailed(logger, ex, notice.Id);
            await store.MarkFailedAsync(notice.Id, ex.Message, cancellationToken).ConfigureAwait(false);
            return;
        }

        await store.MarkSentAsync(notice.Id, messageId, now, cancellationToken).ConfigureAwait(false);
        summary.Sent++;
    }
}

/// <summary>What one run did.</summary>
public sealed class LicenceRunSummary
{
    /// <summary>Active licences looked at.</summary>
    public int Licences { get; set; }

    /// <summary>Reminders recorded by this run (one per recipient).</summary>
    public int Decided { get; set; }

    /// <summary>Reminders handed to the outbox (new and retried).</summary>
    public int Sent { get; set; }

    /// <summary>Hand-overs that failed (left pending).</summary>
    public int Failed { get; set; }

    /// <summary>Decisions for licences without a responsible manager.</summary>
    public int Unaddressed { get; set; }

    /// <summary>Pending reminders of earlier runs tried again.</summary>
    public int Retried { get; set; }

    /// <summary>Pending reminders withdrawn (licence resolved, deadline moved).</summary>
    public int Cancelled { get; set; }
}
