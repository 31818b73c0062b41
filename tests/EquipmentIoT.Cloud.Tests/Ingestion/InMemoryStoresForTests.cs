using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Commands;

namespace EquipmentIoT.Cloud.Tests.Ingestion;

/// <summary>
/// A ledger test double for the group committer's ordering and fault logic ONLY: the SQLite ledger is being
/// written on another branch at the same time. It stores by (agent, stream, seq) — new is Stored, seen is
/// Duplicate, no chain rules — records every call in <see cref="Calls"/>, and can be told to fail.
/// </summary>
internal sealed class InMemoryTelemetryLedgerForTests(List<string> calls) : ITelemetryLedger
{
    private readonly Dictionary<(string, string, long), StoredBatch> batches = [];
    private long nextId;

    public List<string> Calls => calls;

    public List<QuarantineEntry> Quarantined { get; } = [];

    public Func<IReadOnlyList<IncomingBatch>, IReadOnlyList<IngestOutcome>?>? Outcomes { get; set; }

    public Task<IReadOnlyList<IngestOutcome>> IngestAsync(IReadOnlyList<IncomingBatch> incoming, CancellationToken cancellationToken)
    {
        lock (calls) calls.Add($"ingest {string.Join(",", incoming.Select(b => b.Batch.Seq))}");
        if (Outcomes?.Invoke(incoming) is { } forced) return Task.FromResult(forced);
        var outcomes = new List<IngestOutcome>();
        foreach (var b in incoming)
        {
            var key = (b.Batch.Agent, b.Batch.Stream, b.Batch.Seq);
            if (batches.TryGetValue(key, out var existing))
            {
                outcomes.Add(new IngestOutcome(IngestDisposition.Duplicate, existing.Id, null, null, null, false));
                continue;
            }
            var stored = new StoredBatch(++nextId, b.Batch.Agent, b.Batch.Stream, b.Batch.Seq, b.Kid, b.Hash, b.Batch.Prev, b.Batch.Created, b.Received,
                b.Jws.ToArray(), SeriesPending: true);
            batches[key] = stored;
            outcomes.Add(new IngestOutcome(IngestDisposition.Stored, stored.Id, null, null, null, false));
        }
        return Task.FromResult<IReadOnlyList<IngestOutcome>>(outcomes);
    }

    public Task QuarantineAsync(QuarantineEntry entry, CancellationToken cancellationToken)
    {
        lock (calls) calls.Add($"quarantine {entry.Reason}");
        Quarantined.Add(entry);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StoredBatch>> SeriesPendingAsync(int max, CancellationToken cancellationToken)
    {
        lock (calls) calls.Add("pending");
        return Task.FromResult<IReadOnlyList<StoredBatch>>([.. batches.Values.Where(b => b.SeriesPending).OrderBy(b => b.Id).Take(max)]);
    }

    public Task MarkSeriesWrittenAsync(IReadOnlyList<long> batchIds, CancellationToken cancellationToken)
    {
        lock (calls) calls.Add($"mark {string.Join(",", batchIds)}");
        foreach (var (key, b) in batches.ToList())
            if (batchIds.Contains(b.Id)) batches[key] = b with { SeriesPending = false };
        return Task.CompletedTask;
    }

    public Task<StoredBatch?> GetBatchAsync(string agent, string stream, long seq, CancellationToken cancellationToken) =>
        Task.FromResult(batches.GetValueOrDefault((agent, stream, seq)));

    public Task<IReadOnlyList<GapRecord>> OpenGapsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task MarkGapRequestedAsync(long gapId, NodaTime.Instant at, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task RecordResendReplyAsync(string agent, ResendReply reply, NodaTime.Instant at, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<IntegritySummary>> IntegrityAsync(string? agent, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<StoredEvent>> EventsAsync(EventQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<StoredEvent>> EventsAfterAsync(long afterId, IReadOnlyCollection<string> types, int limit,
        CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<QuarantineRecord>> QuarantinedAsync(QuarantineQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<long> CountBatchesAsync(CancellationToken cancellationToken) => Task.FromResult((long)batches.Count);
}

/// <summary>A series store test double for the committer's ordering and fault logic ONLY (see the ledger double): records writes, can fail.</summary>
internal sealed class InMemorySeriesStoreForTests(List<string> calls) : ISeriesStore
{
    public int FailNextWrites { get; set; }

    public List<SeriesBatch> Written { get; } = [];

    public Task WriteAsync(IReadOnlyList<SeriesBatch> batches, CancellationToken cancellationToken)
    {
        lock (calls) calls.Add($"series {string.Join(",", batches.Select(b => b.BatchId))}");
        if (FailNextWrites > 0)
        {
            FailNextWrites--;
            throw new IOException("disk full (test)");
        }
        Written.AddRange(batches);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SeriesPoint>> QueryAsync(SeriesQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<LatestValue>> LatestAsync(string? device, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<SeriesInfo>> SeriesAsync(string? device, CancellationToken cancellationToken) => throw new NotSupportedException();
}
