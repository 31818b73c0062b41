using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Commands;

namespace EquipmentIoT.Cloud.Tests.Api;

/// <summary>
/// Stand-ins for the ledger and series store where they are not the subject (auth, roles, audit, OpenAPI):
/// they answer reads from lists the test fills, with the contract's filters, and refuse writes.
/// </summary>
public sealed class StubTelemetryStores : ITelemetryLedger, ISeriesStore
{
    public List<StoredEvent> Events { get; } = [];

    public List<QuarantineRecord> Quarantine { get; } = [];

    public List<IntegritySummary> Integrity { get; } = [];

    public List<LatestValue> Latest { get; } = [];

    public Task<IReadOnlyList<StoredEvent>> EventsAfterAsync(long afterId, IReadOnlyCollection<string> types, int limit,
        CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredEvent>>([.. Events.Where(e => e.Id > afterId && types.Contains(e.Type)).OrderBy(e => e.Id).Take(limit)]);

    public Task<IReadOnlyList<StoredEvent>> EventsAsync(EventQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredEvent>>([.. Events
            .Where(e => (query.Device is null || e.Device == query.Device) && (query.Agent is null || e.Agent == query.Agent)
                && (query.TypePrefix is null || e.Type.StartsWith(query.TypePrefix, StringComparison.Ordinal))
                && (query.From is null || e.Timestamp >= query.From) && (query.To is null || e.Timestamp < query.To))
            .OrderByDescending(e => e.Timestamp).Take(query.Limit)]);

    public Task<IReadOnlyList<QuarantineRecord>> QuarantinedAsync(QuarantineQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<QuarantineRecord>>([.. Quarantine.Where(q => query.Agent is null || q.Agent == query.Agent).Take(query.Limit)]);

    public Task<IReadOnlyList<IntegritySummary>> IntegrityAsync(string? agent, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IntegritySummary>>([.. Integrity.Where(i => agent is null || i.Agent == agent)]);

    public Task<IReadOnlyList<GapRecord>> OpenGapsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<GapRecord>>([]);

    public Task<long> CountBatchesAsync(CancellationToken cancellationToken) => Task.FromResult(0L);

    public Task<IReadOnlyList<SeriesPoint>> QueryAsync(SeriesQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SeriesPoint>>([]);

    public Task<IReadOnlyList<LatestValue>> LatestAsync(string? device, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LatestValue>>([.. Latest.Where(l => device is null || l.Device == device)]);

    public Task<IReadOnlyList<SeriesInfo>> SeriesAsync(string? device, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SeriesInfo>>([]);

    public Task<IReadOnlyList<IngestOutcome>> IngestAsync(IReadOnlyList<IncomingBatch> batches, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task QuarantineAsync(QuarantineEntry entry, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<StoredBatch>> SeriesPendingAsync(int max, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task MarkSeriesWrittenAsync(IReadOnlyList<long> batchIds, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<StoredBatch?> GetBatchAsync(string agent, string stream, long seq, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task MarkGapRequestedAsync(long gapId, NodaTime.Instant at, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task RecordResendReplyAsync(string agent, ResendReply reply, NodaTime.Instant at, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task WriteAsync(IReadOnlyList<SeriesBatch> batches, CancellationToken cancellationToken) => throw new NotSupportedException();
}
