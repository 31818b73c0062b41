using System.Threading.Channels;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Ingestion;

/// <summary>
/// Commits classified messages in groups, one loop, in the order they were enqueued: quarantines first
/// (one ledger call each), then the accepted batches in one <see cref="ITelemetryLedger.IngestAsync"/>,
/// the points of the stored ones in one <see cref="ISeriesStore.WriteAsync"/>, the "series pending"
/// marks cleared, and the agents' last-seen and devices touched in the registry. Only then are the
/// messages' tasks completed, so that the MQTT acknowledgement means "durably stored". If any step fails,
/// every task of the group fails (the connection drops and the broker delivers the messages again; the
/// ledger makes the second delivery harmless) and the next group first writes what the ledger holds as
/// "series pending". Back-pressure: a bounded queue (<see cref="IngestionOptions.CommitQueueCapacity"/>),
/// enqueuers wait when it is full.
/// </summary>
public sealed class GroupCommitter
{
    private readonly ITelemetryLedger _ledger;
    private readonly ISeriesStore _series;
    private readonly IRegistryStore _registry;
    private readonly SeriesRecovery _recovery;
    private readonly IngestionMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<GroupCommitter> _logger;
    private readonly IStoredBatchObserver[] _observers;
    private readonly Channel<Work> _queue;
    private readonly int _groupSize;
    private readonly TimeSpan _linger;
    private bool _recoveryDue;

    /// <summary>Creates the committer; <see cref="RunAsync"/> commits.</summary>
    public GroupCommitter(ITelemetryLedger ledger, ISeriesStore series, IRegistryStore registry, SeriesRecovery recovery, IngestionMetrics metrics,
        TimeProvider time, IOptions<IngestionOptions> options, ILogger<GroupCommitter> logger, IEnumerable<IStoredBatchObserver>? observers = null)
    {
        _observers = observers?.ToArray() ?? [];
        ArgumentNullException.ThrowIfNull(options);
        _ledger = ledger;
        _series = series;
        _registry = registry;
        _recovery = recovery;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _groupSize = options.Value.GroupCommitSize;
        _linger = options.Value.GroupCommitLatency;
        _queue = Channel.CreateBounded<Work>(new BoundedChannelOptions(options.Value.CommitQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        metrics.SetQueueDepth(() => _queue.Reader.Count);
    }

    /// <summary>Raised after a commit that found new gaps (the resender asks for them at once).</summary>
    public event EventHandler? GapsFound;

    /// <summary>
    /// Queues one message (waiting while the queue is full) and returns the task that completes when it is
    /// durably committed, or fails with the group's error.
    /// </summary>
    public async ValueTask<Task> EnqueueAsync(Classified item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var work = new Work(item, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        return work.Done.Task;
    }

    /// <summary>The commit loop; ends when <paramref name="cancellationToken"/> is cancelled, failing what is still queued.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var group = new List<Work>(_groupSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                group.Clear();
                while (group.Count < _groupSize && _queue.Reader.TryRead(out var w)) group.Add(w);
                if (group.Count < _groupSize && _linger > TimeSpan.Zero) await LingerAsync(group, cancellationToken).ConfigureAwait(false);
                await CommitAsync(group, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: what was not committed stays unacknowledged at the broker.
        }
        finally
        {
            foreach (var w in group) w.Done.TrySetCanceled(cancellationToken);
            while (_queue.Reader.TryRead(out var w)) w.Done.TrySetCanceled(cancellationToken);
        }
    }

    /// <summary>Waits up to the linger time for the group to fill.</summary>
    private async Task LingerAsync(List<Work> group, CancellationToken cancellationToken)
    {
        using var linger = new CancellationTokenSource(_linger, _time);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(linger.Token, cancellationToken);
        try
        {
            while (group.Count < _groupSize && await _queue.Reader.WaitToReadAsync(both.Token).ConfigureAwait(false))
                while (group.Count < _groupSize && _queue.Reader.TryRead(out var w)) group.Add(w);
        }
        catch (OperationCanceledException) when (linger.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The linger time is up: commit what there is.
        }
    }

    private async Task CommitAsync(List<Work> group, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        try
        {
            if (_recoveryDue)
            {
                await _recovery.RunAsync(cancellationToken).ConfigureAwait(false);
                _recoveryDue = false;
            }
            var gaps = await CommitGroupAsync(group, cancellationToken).ConfigureAwait(false);
            _metrics.Committed(_time.GetElapsedTime(started));
            foreach (var w in group) w.Done.TrySetResult();
            if (gaps) GapsFound?.Invoke(this, EventArgs.Empty);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            _recoveryDue = true;
            _metrics.CommitFailed();
            IngestionLog.CommitFailed(_logger, group.Count, ex.Message, ex);
            foreach (var w in group) w.Done.TrySetException(ex);
        }
    }

    /// <summary>One group through the stores; true when it revealed new gaps.</summary>
    private async Task<bool> CommitGroupAsync(List<Work> group, CancellationToken cancellationToken)
    {
        var batches = new List<IncomingBatch>(group.Count);
        foreach (var w in group)
        {
            switch (w.Item)
            {
                case RejectedMessage rejected:
                    await _ledger.QuarantineAsync(rejected.Entry, cancellationToken).ConfigureAwait(false);
                    Quarantined(rejected.Entry.Agent, rejected.Entry.Stream, rejected.Entry.Seq, rejected.Entry.Reason, rejected.Entry.Detail);
                    break;
                case AcceptedBatch accepted:
                    batches.Add(accepted.Batch);
                    break;
            }
        }
        if (batches.Count == 0) return false;

        var outcomes = await _ledger.IngestAsync(batches, cancellationToken).ConfigureAwait(false);
        if (outcomes.Count != batches.Count)
            throw new InvalidOperationException($"the ledger returned {outcomes.Count} outcomes for {batches.Count} batches");
        var series = new List<SeriesBatch>();
        var stored = new List<long>();
        var counted = new List<IncomingBatch>(batches.Count);
        var seen = new Dictionary<string, (HashSet<string> Devices, Instant At)>(StringComparer.Ordinal);
        var gaps = false;
        for (var i = 0; i < batches.Count; i++)
        {
            var incoming = batches[i];
            var batch = incoming.Batch;
            var outcome = outcomes[i];
            switch (outcome.Disposition)
            {
                case IngestDisposition.Stored:
                    var id = outcome.BatchId ?? throw new InvalidOperationException($"the ledger stored {batch.Agent}/{batch.Stream} seq {batch.Seq} without an id");
                    stored.Add(id);
                    if (batch.Metrics.Count > 0) series.Add(new SeriesBatch(id, batch.Agent, batch.Metrics));
                    NoteDevices(seen, batch, incoming.Received);
                    counted.Add(incoming);
                    if (outcome.FilledGap)
                    {
                        _metrics.GapFilled();
                        IngestionLog.GapFilled(_logger, batch.Agent, batch.Stream, batch.Seq);
                    }
                    break;
                case IngestDisposition.Duplicate:
                    _metrics.Duplicate();
                    break;
                case IngestDisposition.Quarantined:
                    Quarantined(batch.Agent, batch.Stream, batch.Seq, outcome.Reason ?? QuarantineReason.BrokenChain, outcome.Detail ?? "refused by the chain");
                    break;
            }
            if (outcome.NewGap is { } gap)
            {
                gaps = true;
                _metrics.GapOpened();
                IngestionLog.GapFound(_logger, batch.Agent, batch.Stream, gap.From, gap.To);
            }
        }

        if (series.Count > 0) await _series.WriteAsync(series, cancellationToken).ConfigureAwait(false);
        if (stored.Count > 0) await _ledger.MarkSeriesWrittenAsync(stored, cancellationToken).ConfigureAwait(false);
        foreach (var (agent, (devices, at)) in seen)
            await _registry.TouchAsync(agent, devices, at, cancellationToken).ConfigureAwait(false);
        // Counted as stored only now that the points are durable too: /metrics never runs ahead of the stores.
        foreach (var incoming in counted)
            _metrics.Stored(incoming.Batch.Metrics.Count, incoming.Batch.Events.Count, incoming.Batch.Created, incoming.Received);
        if (counted.Count > 0) await NotifyObserversAsync([.. counted.Select(c => c.Batch)], cancellationToken).ConfigureAwait(false);
        return gaps;
    }

    private async Task NotifyObserversAsync(IReadOnlyList<TelemetryBatch> batches, CancellationToken cancellationToken)
    {
        foreach (var observer in _observers)
        {
            try
            {
                await observer.OnStoredAsync(batches, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                IngestionLog.ObserverFailed(_logger, ex, observer.GetType().Name);
            }
        }
    }

    private void Quarantined(string agent, string? stream, long? seq, QuarantineReason reason, string detail)
    {
        _metrics.Quarantined(reason);
        IngestionLog.Quarantined(_logger, agent, stream, seq, reason, detail);
    }

    private static void NoteDevices(Dictionary<string, (HashSet<string> Devices, Instant At)> seen, TelemetryBatch batch, Instant received)
    {
        if (!seen.TryGetValue(batch.Agent, out var entry))
        {
            entry = (new HashSet<string>(StringComparer.Ordinal), received);
            seen[batch.Agent] = entry;
        }
        else if (received > entry.At)
        {
            seen[batch.Agent] = entry = (entry.Devices, received);
        }
        foreach (var m in batch.Metrics) entry.Devices.Add(m.Device);
        foreach (var e in batch.Events) entry.Devices.Add(e.Device);
    }

    private sealed record Work(Classified Item, TaskCompletionSource Done);
}
