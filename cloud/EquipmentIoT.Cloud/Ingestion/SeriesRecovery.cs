using System.Buffers;
using System.Buffers.Text;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Json;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Cloud.Ingestion;

/// <summary>
/// Writes to the series store the points of batches the ledger stored but whose series write did not
/// finish (a crash or a failure between the two commits): each stored JWS is read again (it was verified
/// when it was stored), written (idempotent per batch id) and marked written.
/// </summary>
public sealed class SeriesRecovery(ITelemetryLedger ledger, ISeriesStore series, ILogger<SeriesRecovery> logger)
{
    private const int PerRound = 500;

    /// <summary>Runs until no stored batch is pending; returns how many were written.</summary>
    /// <exception cref="InvalidDataException">A stored batch cannot be read back: the store is damaged (the message names the batch).</exception>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var pending = await ledger.SeriesPendingAsync(PerRound, cancellationToken).ConfigureAwait(false);
            if (pending.Count == 0) break;
            var batches = new List<SeriesBatch>(pending.Count);
            foreach (var stored in pending)
            {
                var points = ReadPoints(stored);
                if (points.Count > 0) batches.Add(new SeriesBatch(stored.Id, stored.Agent, points));
            }
            if (batches.Count > 0) await series.WriteAsync(batches, cancellationToken).ConfigureAwait(false);
            await ledger.MarkSeriesWrittenAsync([.. pending.Select(b => b.Id)], cancellationToken).ConfigureAwait(false);
            total += pending.Count;
            if (pending.Count < PerRound) break;
        }
        if (total > 0) IngestionLog.SeriesRecovered(logger, total);
        return total;
    }

    private static IReadOnlyList<Protocols.Telemetry.Model.MetricPoint> ReadPoints(StoredBatch stored)
    {
        var jws = stored.Jws.AsSpan();
        var first = jws.IndexOf((byte)'.');
        var last = jws.LastIndexOf((byte)'.');
        if (first < 0 || last <= first) throw Damaged(stored, "not a JWS compact serialisation");
        var payload = jws[(first + 1)..last];
        var json = new byte[Base64Url.GetMaxDecodedLength(payload.Length)];
        if (Base64Url.DecodeFromUtf8(payload, json, out _, out var written) != OperationStatus.Done) throw Damaged(stored, "the payload is not base64url");
        var read = TelemetryBatchReader.Read(json.AsSpan(0, written));
        return read.TryGetValue(out var batch) ? batch.Metrics : throw Damaged(stored, read.Error!);
    }

    private static InvalidDataException Damaged(StoredBatch stored, string why) =>
        new($"stored batch {stored.Id} ({stored.Agent}/{stored.Stream} seq {stored.Seq}) cannot be read back: {why}");
}
