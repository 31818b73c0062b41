using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Commands;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Ingestion;

/// <summary>Publishes a resend command to an agent (QoS 1 on <c>eq/v1/{agent}/cmd/resend</c>); completes on PUBACK.</summary>
public interface IResendPublisher
{
    /// <summary>Publishes <paramref name="command"/> to <paramref name="agentId"/>.</summary>
    Task PublishResendAsync(string agentId, ResendCommand command, CancellationToken cancellationToken);
}

/// <summary>
/// Asks agents to resend the batches of open gaps, paced by <see cref="ResendSchedule"/>: new gaps at
/// once (the committer wakes it), repeats with doubling waits, checked every
/// <see cref="IngestionOptions.ResendCheckInterval"/>. Every request is recorded in the ledger
/// (<see cref="ITelemetryLedger.MarkGapRequestedAsync"/>), so the pacing survives restarts and is shared
/// by instances on one store.
/// </summary>
public sealed class GapResender : IDisposable
{
    private readonly ITelemetryLedger _ledger;
    private readonly IngestionMetrics _metrics;
    private readonly IClock _clock;
    private readonly ResendSchedule _schedule;
    private readonly TimeSpan _checkInterval;
    private readonly ILogger<GapResender> _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Creates the resender.</summary>
    public GapResender(ITelemetryLedger ledger, IngestionMetrics metrics, IClock clock, IOptions<IngestionOptions> options, ILogger<GapResender> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ledger = ledger;
        _metrics = metrics;
        _clock = clock;
        _schedule = ResendSchedule.From(options.Value);
        _checkInterval = options.Value.ResendCheckInterval;
        _logger = logger;
    }

    /// <inheritdoc/>
    public void Dispose() => _wake.Dispose();

    /// <summary>Makes the running loop check at once (new gaps were found).</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A check is already pending: it will see the new gaps too.
        }
    }

    /// <summary>One check: asks for every gap that is due now; returns how many gaps were asked for.</summary>
    public async Task<int> RequestDueAsync(IResendPublisher publisher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        var now = _clock.GetCurrentInstant();
        var asked = 0;
        foreach (var gap in await _ledger.OpenGapsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!_schedule.IsDue(gap, now)) continue;
            foreach (var command in ResendSchedule.Commands(gap))
            {
                await publisher.PublishResendAsync(gap.Agent, command, cancellationToken).ConfigureAwait(false);
                _metrics.ResendRequested();
            }
            await _ledger.MarkGapRequestedAsync(gap.Id, now, cancellationToken).ConfigureAwait(false);
            asked++;
            IngestionLog.ResendRequested(_logger, gap.Agent, gap.Stream, gap.From, gap.To, gap.Requests + 1);
            if (gap.Requests + 1 >= _schedule.MaxRequests) IngestionLog.ResendGivenUp(_logger, gap.Agent, gap.Stream, gap.From, gap.To, gap.Requests + 1);
        }
        return asked;
    }

    /// <summary>Checks every <see cref="IngestionOptions.ResendCheckInterval"/> and on <see cref="Wake"/> until cancelled.</summary>
    public async Task RunAsync(IResendPublisher publisher, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        try
        {
            while (true)
            {
                try
                {
                    await RequestDueAsync(publisher, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // The broker or the store is away: the gaps stay open and are asked for at the next check.
                    IngestionLog.ResendFailed(_logger, ex.Message, ex);
                }
                using var tick = new CancellationTokenSource(_checkInterval, time);
                using var either = CancellationTokenSource.CreateLinkedTokenSource(tick.Token, cancellationToken);
                try
                {
                    await _wake.WaitAsync(either.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The check interval is up.
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
