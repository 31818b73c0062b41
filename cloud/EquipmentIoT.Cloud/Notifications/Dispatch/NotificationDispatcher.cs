using EquipmentIoT.Cloud.Notifications.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Notifications.Dispatch;

/// <summary>
/// Sends what the outbox holds. At start it takes back the messages this instance left in 'sending' (a crash);
/// then, at every poll or wake-up, it takes back claims whose lease expired (another instance died), claims due
/// messages one by one (<see cref="INotificationStore.TryClaimAsync"/>, so instances sharing the database never
/// send one message at once), sends each through its channel with a timeout, and records the attempt: sent,
/// retry after <see cref="NotificationRetryPolicy"/>'s delay, or failed-permanently. A gateway that is down only
/// delays messages; delivery is at-least-once, since a send cut short by a crash is sent again.
/// </summary>
public sealed class NotificationDispatcher : BackgroundService
{
    private static readonly TimeSpan MinWait = TimeSpan.FromMilliseconds(20);

    private readonly INotificationStore _store;
    private readonly Dictionary<NotificationChannel, INotificationSender> _senders;
    private readonly NotificationRetryPolicy _retry;
    private readonly NotificationOptions _options;
    private readonly IClock _clock;
    private readonly TimeProvider _time;
    private readonly NotificationSignal _signal;
    private readonly ILogger<NotificationDispatcher> _logger;

    public NotificationDispatcher(INotificationStore store, IEnumerable<INotificationSender> senders, NotificationRetryPolicy retry,
        IOptions<NotificationOptions> options, IClock clock, TimeProvider time, NotificationSignal signal, ILogger<NotificationDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(senders);
        ArgumentNullException.ThrowIfNull(options);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _senders = senders.ToDictionary(s => s.Channel);
        _retry = retry ?? throw new ArgumentNullException(nameof(retry));
        _options = options.Value;
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _signal = signal ?? throw new ArgumentNullException(nameof(signal));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>
    /// Takes back messages left in 'sending': this instance's own (<paramref name="ownToo"/>, at start: whatever it
    /// was sending died with the old process) and anyone's whose lease expired. Returns how many.
    /// </summary>
    public async Task<int> RecoverAsync(bool ownToo, CancellationToken cancellationToken)
    {
        var now = _clock.GetCurrentInstant();
        var cutoff = now - Duration.FromTimeSpan(_options.SendingLease);
        var count = await _store.RecoverAsync(ownToo ? _options.InstanceName : null, cutoff, now, cancellationToken).ConfigureAwait(false);
        if (count > 0) NotificationLog.Recovered(_logger, count);
        return count;
    }

    /// <summary>One pass: claims and sends every message due now, in batches; returns how many it claimed.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var claimed = 0;
        while (true)
        {
            var due = await _store.FindDueAsync(_clock.GetCurrentInstant(), _options.BatchSize, cancellationToken).ConfigureAwait(false);
            var inBatch = 0;
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentSends, CancellationToken = cancellationToken },
                async (id, ct) =>
                {
                    if (await DispatchOneAsync(id, ct).ConfigureAwait(false)) Interlocked.Increment(ref inBatch);
                }).ConfigureAwait(false);
            claimed += inBatch;
            // A short batch was everything due; a batch of which nothing could be claimed went to other instances.
            if (due.Count < _options.BatchSize || inBatch == 0) return claimed;
        }
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ownClaimsRecovered = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                await RecoverAsync(ownToo: !ownClaimsRecovered, stoppingToken).ConfigureAwait(false);
                ownClaimsRecovered = true;
                await DispatchDueAsync(stoppingToken).ConfigureAwait(false);
                wait = await NextWaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The loop must outlive a database hiccup; each failure is logged and the pass retried.
            catch (Exception e)
#pragma warning restore CA1031
            {
                wait = _options.PollInterval;
                NotificationLog.DispatcherFailed(_logger, e.Message, wait, e);
            }
            await _signal.WaitAsync(wait, _time, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task<TimeSpan> NextWaitAsync(CancellationToken cancellationToken)
    {
        var poll = _options.PollInterval;
        if (await _store.NextDueAsync(cancellationToken).ConfigureAwait(false) is not { } next) return poll;
        var untilDue = (next - _clock.GetCurrentInstant()).ToTimeSpan();
        return untilDue < MinWait ? MinWait : untilDue < poll ? untilDue : poll;
    }

    private async Task<bool> DispatchOneAsync(long id, CancellationToken stoppingToken)
    {
        var claim = await _store.TryClaimAsync(id, _options.InstanceName, _clock.GetCurrentInstant(), stoppingToken).ConfigureAwait(false);
        if (claim is null) return false;
        var result = await SendAsync(claim, stoppingToken).ConfigureAwait(false);
        var message = claim.Message;
        var recipient = RecipientMask.Mask(message.Channel, message.Recipient);
        var now = _clock.GetCurrentInstant();
        AttemptCompletion completion;
        switch (result.Outcome)
        {
            case AttemptOutcome.Sent:
                completion = new(AttemptOutcome.Sent, result.Detail, result.GatewayMessageId, now, NotificationStatus.Sent, null);
                NotificationLog.Sent(_logger, message.Id, message.Channel, recipient, claim.Attempt);
                NotificationLog.GatewayAnswer(_logger, message.Id, result.Detail);
                break;
            case AttemptOutcome.Transient when stoppingToken.IsCancellationRequested:
                // Shutting down: not the gateway's fault, so no backoff and no attempt spent beyond this one.
                completion = new(AttemptOutcome.Transient, result.Detail, null, now, NotificationStatus.Pending, now);
                break;
            case AttemptOutcome.Transient when _retry.ShouldRetry(claim.Attempt, out var delay):
                completion = new(AttemptOutcome.Transient, result.Detail, null, now, NotificationStatus.Pending, now + Duration.FromTimeSpan(delay));
                NotificationLog.Retrying(_logger, message.Id, message.Channel, recipient, claim.Attempt, result.Detail, delay);
                break;
            default:
                var reason = result.Outcome == AttemptOutcome.Transient ? $"{result.Detail} (no attempts left of {_retry.MaxAttempts})" : result.Detail;
                completion = new(result.Outcome, reason, null, now, NotificationStatus.FailedPermanently, null);
                NotificationLog.FailedPermanently(_logger, message.Id, message.Channel, recipient, claim.Attempt, reason);
                break;
        }
        // Recorded even when stopping: the attempt happened, and the message must not stay claimed.
        if (!await _store.CompleteAsync(claim, completion, CancellationToken.None).ConfigureAwait(false)) NotificationLog.ClaimLost(_logger, message.Id);
        return true;
    }

    private async Task<SendResult> SendAsync(ClaimedNotification claim, CancellationToken stoppingToken)
    {
        var channel = claim.Message.Channel;
        if (!_senders.TryGetValue(channel, out var sender) || !sender.IsConfigured)
            return SendResult.Transient($"the {NotificationText.Of(channel)} channel is not configured on instance {_options.InstanceName}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(_options.SendTimeout);
        try
        {
            return await sender.SendAsync(claim, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return SendResult.Transient("interrupted by shutdown; whether the gateway got it is unknown");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return SendResult.Transient($"no answer within {_options.SendTimeout}");
        }
#pragma warning disable CA1031 // A sender's bug must not lose the message: it is retried like a transient failure, and logged as an error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            NotificationLog.SenderThrew(_logger, channel, claim.Message.Id, e);
            return SendResult.Transient($"{e.GetType().Name}: {e.Message}");
        }
    }
}
