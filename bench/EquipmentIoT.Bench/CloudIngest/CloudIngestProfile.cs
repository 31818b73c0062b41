using System.Diagnostics;
using System.Runtime.Versioning;
using EquipmentIoT.Cloud.Ingestion;
using EquipmentIoT.Cloud.Storage;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Bench.CloudIngest;

/// <summary>The cloud's two stages alone, on the same batches.</summary>
/// <param name="Classify">TelemetryClassifier.ClassifyAsync over every batch, one thread (as ingestion's dispatch loop runs it).</param>
/// <param name="Stores">Ledger and series writes of the classified batches in groups of Ingestion:GroupCommitSize.</param>
internal sealed record IngestProfile(TimeSpan Classify, FillResult Stores);

/// <summary>
/// Where the cloud's time goes (<c>cloud-ingest --profile</c>): the cloud's own <see cref="TelemetryClassifier"/> (key
/// cache, JWS verify, payload read, timestamp checks, chain hash) timed over every batch in the order one
/// connection would deliver them, then the classified batches written through the stores of a fresh data directory
/// (<see cref="StoreFill"/>: ledger, series and "series written" marks timed apart). No MQTT.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class CloudIngestProfile
{
    public static async Task<IngestProfile> RunAsync(SimulatedFleet fleet, CloudIngestOptions o, string dataDirectory, CancellationToken cancellationToken)
    {
        await using var stores = await BenchStores.OpenAsync(dataDirectory, cancellationToken).ConfigureAwait(false);
        foreach (var agent in fleet.Agents) await stores.RegisterAsync(agent.Id, agent.PublicKeyPem, cancellationToken).ConfigureAwait(false);
        var options = Options.Create(new IngestionOptions());
        using var keys = new AgentKeyCache(stores.Registry, SystemClock.Instance, options);
        var classifier = new TelemetryClassifier(keys, SystemClock.Instance, options);

        var accepted = new List<IncomingBatch>((int)fleet.Batches);
        var classify = Stopwatch.StartNew();
        foreach (var (agent, jws) in SimulatedFleet.Interleaved(fleet.Agents))
        {
            var classified = await classifier.ClassifyAsync(agent.Id, jws, cancellationToken).ConfigureAwait(false);
            accepted.Add(classified is AcceptedBatch a
                ? a.Batch
                : throw new InvalidOperationException($"the classifier refused a batch of {agent.Id}: {((RejectedMessage)classified).Entry.Detail}"));
        }

        classify.Stop();
        var fill = await StoreFill.RunAsync(stores, accepted, o.EffectiveGroupCommit, cancellationToken).ConfigureAwait(false);
        return new IngestProfile(classify.Elapsed, fill);
    }
}
