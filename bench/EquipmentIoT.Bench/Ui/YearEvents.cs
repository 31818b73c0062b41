using System.Buffers;
using System.Security.Cryptography;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Bench.Ui;

/// <summary>
/// A year of events written through <see cref="ITelemetryLedger.IngestAsync"/> as signed, chained batches of each agent's events stream
/// (one batch per agent and hour that had events): exams on the CTs (~30 a day: exam.started and exam.completed, scrubbed data as the
/// MPPS adapter sends it) and the MRs (~15 a day), and a few state changes and faults on every device. One ingest call per day.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class YearEvents
{
    private static readonly string[] CtProcedures = ["CT Chest", "CT Head", "CT Abdomen", "CTA Coronary", "CT Spine"];
    private static readonly string[] MrProcedures = ["MR Brain", "MR Knee", "MR Spine", "MR Abdomen"];

    /// <summary>Writes the events; returns (events, batches).</summary>
    public static async Task<(long Events, long Batches)> WriteAsync(ITelemetryLedger ledger, IReadOnlyList<BenchDevice> devices,
        IReadOnlyDictionary<string, ECDsa> agentKeys, Instant start, int days, CancellationToken cancellationToken)
    {
        var random = new Random(30);
        var agents = agentKeys.ToDictionary(k => k.Key, k => new AgentStream(new JwsSigner(k.Value)), StringComparer.Ordinal);
        var scratch = new ArrayBufferWriter<byte>(64 * 1024);
        long events = 0, batches = 0;
        for (var day = 0; day < days; day++)
        {
            var dayStart = start + Duration.FromDays(day);
            var today = new List<TelemetryEvent>();
            foreach (var device in devices) today.AddRange(EventsOf(device, dayStart, random));
            var incoming = new List<IncomingBatch>();
            foreach (var (agent, stream) in agents)
            {
                var mine = today.Where(e => devices.First(d => d.Id == e.Device).Agent == agent).ToList();
                foreach (var hour in mine.GroupBy(e => (int)(e.Timestamp - dayStart).TotalHours).OrderBy(g => g.Key))
                {
                    var created = dayStart + Duration.FromHours(hour.Key + 1);
                    var batch = new TelemetryBatch(agent, TelemetryStreams.Events, ++stream.Seq, stream.Prev, created, [], [.. hour.OrderBy(e => e.Timestamp)]);
                    var sealedBatch = TelemetryEnvelope.Seal(batch, stream.Signer, scratch);
                    stream.Prev = sealedBatch.Hash;
                    incoming.Add(new IncomingBatch(stream.Signer.Kid, sealedBatch.Hash, created + Duration.FromSeconds(1), sealedBatch.Jws, batch));
                    events += batch.Events.Count;
                }
            }
            var outcomes = await ledger.IngestAsync(incoming, cancellationToken).ConfigureAwait(false);
            if (outcomes.FirstOrDefault(o => o.Disposition != IngestDisposition.Stored) is { } refused)
                throw new InvalidOperationException("the ledger did not store a seeded events batch: " + refused);
            batches += incoming.Count;
        }
        return (events, batches);
    }

    private static IEnumerable<TelemetryEvent> EventsOf(BenchDevice device, Instant dayStart, Random random)
    {
        var (exams, procedures) = device.DeviceClass switch
        {
            "ct" => (25 + random.Next(11), CtProcedures),
            "mr" => (12 + random.Next(7), MrProcedures),
            _ => (0, []),
        };
        // Exams between 08:00 and 22:00 Shanghai time: 00:00–14:00 UTC.
        var window = Duration.FromHours(14).TotalSeconds;
        for (var e = 0; e < exams; e++)
        {
            var at = dayStart + Duration.FromSeconds((long)(window * (e + random.NextDouble()) / exams));
            var seconds = 300 + random.Next(1200);
            var procedure = procedures[random.Next(procedures.Length)];
            var id = $"{device.Id}-{at.ToUnixTimeSeconds()}";
            yield return new TelemetryEvent(device.Id, EventTypes.ExamStarted, at, new Dictionary<string, EventValue>
            {
                ["procedure"] = procedure, ["station"] = device.Name, ["exam_id"] = id,
            });
            yield return new TelemetryEvent(device.Id, EventTypes.ExamCompleted, at + Duration.FromSeconds(seconds), new Dictionary<string, EventValue>
            {
                ["procedure"] = procedure, ["station"] = device.Name, ["exam_id"] = id, ["images"] = (long)(100 + random.Next(900)),
                ["duration_s"] = (long)seconds,
            });
        }

        yield return new TelemetryEvent(device.Id, EventTypes.State, dayStart + Duration.FromHours(22), new Dictionary<string, EventValue>
        {
            ["state"] = "ready", ["previous"] = "standby",
        });
        yield return new TelemetryEvent(device.Id, EventTypes.State, dayStart + Duration.FromHours(14), new Dictionary<string, EventValue>
        {
            ["state"] = "standby", ["previous"] = "ready",
        });
        if (random.Next(10) == 0)
        {
            yield return new TelemetryEvent(device.Id, EventTypes.Fault, dayStart + Duration.FromMinutes(random.Next(24 * 60)), new Dictionary<string, EventValue>
            {
                ["code"] = $"E{random.Next(100, 999)}", ["active"] = true, ["text"] = "interlock open", ["severity"] = "minor",
            });
        }
    }

    private sealed class AgentStream(JwsSigner signer)
    {
        public JwsSigner Signer { get; } = signer;

        public long Seq { get; set; }

        public string? Prev { get; set; }
    }
}
