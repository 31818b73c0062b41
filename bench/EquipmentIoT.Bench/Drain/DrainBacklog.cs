using System.Buffers;
using System.Diagnostics;
using System.Runtime.Versioning;
using EquipmentIoT.Bench.Telemetry;
using EquipmentIoT.EdgeAgent.Buffer;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Jose;

namespace EquipmentIoT.Bench.Drain;

/// <summary>What building the backlog took.</summary>
/// <param name="Batches">Sealed and stored batches (seq 1…Batches on "metrics").</param>
/// <param name="Points">Points in them.</param>
/// <param name="JwsBytes">Bytes of the JWS records (and of the lines file, less one '\n' per batch).</param>
/// <param name="Seal">Time spent in TelemetryEnvelope.Seal.</param>
/// <param name="Append">Time spent waiting for durable appends.</param>
internal sealed record Backlog(long Batches, long Points, long JwsBytes, TimeSpan Seal, TimeSpan Append)
{
    public TimeSpan Total => Seal + Append;
}

/// <summary>
/// Fills a buffer the way the agent's BatchSealer does, one batch at a time: seal (write, sign, chain),
/// then append and wait for its fsync. Writes the same JWS, one per line, to a file for mosquitto_pub.
/// </summary>
internal static class DrainBacklog
{
    [SupportedOSPlatform("linux")]
    public static async Task<Backlog> BuildAsync(DurableBuffer buffer, DrainBenchOptions o, string linesFile, CancellationToken cancellationToken)
    {
        using var key = AgentKeys.Generate();
        var signer = new JwsSigner(key);
        var samples = new SampleBatches();
        var scratch = new ArrayBufferWriter<byte>(64 * 1024);
        var seal = new Stopwatch();
        var append = new Stopwatch();
        string? prev = null;
        long points = 0;
        long bytes = 0;
        var lines = new FileStream(linesFile, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        await using (lines.ConfigureAwait(false))
        {
            for (long seq = 1; seq <= o.Batches; seq++)
            {
                var count = (int)Math.Min(o.PointsPerBatch, o.Points - points);
                var batch = samples.Next(seq, prev, count);
                seal.Start();
                var sealedBatch = TelemetryEnvelope.Seal(batch, signer, scratch);
                seal.Stop();

                append.Start();
                var result = await buffer.AppendAsync(BufferStreams.Metrics, seq, sealedBatch.Jws, cancellationToken).ConfigureAwait(false);
                append.Stop();
                if (result != AppendResult.Stored) throw new InvalidOperationException($"the buffer refused batch {seq} ({result}); its MaxBytes is too small");

                await lines.WriteAsync(sealedBatch.Jws, cancellationToken).ConfigureAwait(false);
                lines.WriteByte((byte)'\n');
                prev = sealedBatch.Hash;
                points += count;
                bytes += sealedBatch.Jws.Length;
            }
        }

        return new Backlog(o.Batches, points, bytes, seal.Elapsed, append.Elapsed);
    }
}
