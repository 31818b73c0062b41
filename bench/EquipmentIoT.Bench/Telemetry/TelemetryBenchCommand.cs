using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Chain;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Json;
using EquipmentIoT.Protocols.Telemetry.Model;

namespace EquipmentIoT.Bench.Telemetry;

/// <summary>
/// <c>eqiot-bench telemetry</c>: what envelope v1 costs on one thread, per step the agent and the cloud
/// take: write JSON, sign, seal; verify, open. Targets: the agent signs at least 100,000 points/s
/// (SPEC.md §11); the cloud verifies and reads at least as fast as one agent signs (the spec names no
/// figure for the cloud, so the agent's is used). A measurement: exits 0 whatever the figures, 1 when a
/// step failed, 2 on a bad command line.
/// </summary>
internal static class TelemetryBenchCommand
{
    public const double SignTargetPointsPerSecond = 100_000;
    public const double VerifyTargetPointsPerSecond = 100_000;

    // Distinct batches cycled through, so no measurement signs or verifies the very same bytes every time.
    private const int Distinct = 64;

    private static readonly TimeSpan MinimumWarmup = TimeSpan.FromSeconds(1);

    public static int Run(IReadOnlyList<string> args)
    {
        TelemetryBenchOptions o;
        try
        {
            o = TelemetryBenchOptions.Parse(args);
        }
        catch (CommandLineException ex)
        {
            Console.Error.WriteLine($"eqiot-bench telemetry: {ex.Message}");
            return 2;
        }

        if (o.ShowHelp)
        {
            Console.WriteLine(TelemetryBenchOptions.Help);
            return 0;
        }

        try
        {
            RunAll(o);
            return 0;
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine($"eqiot-bench telemetry: {ex.Message}");
            return 1;
        }
    }

    private static void RunAll(TelemetryBenchOptions o)
    {
        using var key = AgentKeys.Generate();
        var signer = new JwsSigner(key);
        var kid = signer.Kid;
        var verifier = new JwsVerifier(k => k == kid ? key : null);

        var samples = new SampleBatches();
        var batches = new TelemetryBatch[Distinct];
        var compacts = new byte[Distinct][];
        string? prev = null;
        for (var i = 0; i < Distinct; i++)
        {
            batches[i] = samples.Next(i + 1, prev, o.PointsPerBatch);
            var sealedBatch = TelemetryEnvelope.Seal(batches[i], signer);
            compacts[i] = sealedBatch.Jws;
            prev = sealedBatch.Hash;
        }

        var payload = new ArrayBufferWriter<byte>(64 * 1024);
        var jws = new ArrayBufferWriter<byte>(96 * 1024);
        var jsonBytes = TelemetryBatchWriter.ToUtf8(batches[0]).Length;
        var jsonForSign = batches.Select(TelemetryBatchWriter.ToUtf8).ToArray();
        Print($"envelope v1, one thread, {o.PointsPerBatch} points per batch: {jsonBytes:N0} B of JSON ({(double)jsonBytes / o.PointsPerBatch:0.0} B/point), {compacts[0].Length:N0} B of JWS; {o.Batches:N0} batches per step after {o.Warmup:N0} (and at least {MinimumWarmup.TotalSeconds:0} s) untimed; {Environment.ProcessorCount} cores");
        Print($"  first point: {FirstPoint(jsonForSign[0])}");
        Print($"");

        var write = Measure(o, i =>
        {
            payload.ResetWrittenCount();
            TelemetryBatchWriter.Write(batches[i % Distinct], payload);
        });
        Report("write JSON (TelemetryBatchWriter, reused buffer)", write, o, null);

        var signOnly = Measure(o, i =>
        {
            jws.ResetWrittenCount();
            signer.Sign(jsonForSign[i % Distinct], jws);
        });
        Report("sign only (JwsSigner.Sign, ES256, reused buffer)", signOnly, o, null);

        var writeSign = Measure(o, i =>
        {
            payload.ResetWrittenCount();
            TelemetryBatchWriter.Write(batches[i % Distinct], payload);
            jws.ResetWrittenCount();
            signer.Sign(payload.WrittenSpan, jws);
        });
        Report("write+sign (as BatchSealer)", writeSign, o, SignTargetPointsPerSecond);

        var seal = Measure(o, i => TelemetryEnvelope.Seal(batches[i % Distinct], signer, payload));
        Report("seal (TelemetryEnvelope.Seal: + JWS array + chain hash)", seal, o, null);

        var failures = 0;
        var verify = Measure(o, i =>
        {
            if (!verifier.Verify(compacts[i % Distinct]).Success) failures++;
        });
        Report("verify (JwsVerifier.Verify: signature + payload decode)", verify, o, null);

        var open = Measure(o, i =>
        {
            var opened = TelemetryEnvelope.Open(compacts[i % Distinct], verifier, SampleBatches.AgentId);
            if (!opened.Success || opened.Value.Batch.Metrics.Count != o.PointsPerBatch) failures++;
        });
        Report("verify+read (TelemetryEnvelope.Open)", open, o, VerifyTargetPointsPerSecond);

        var hash = Measure(o, i => TelemetryChain.Hash(compacts[i % Distinct]));
        Report("chain hash alone (SHA-256 of the JWS)", hash, o, null);

        if (failures > 0) throw new InvalidOperationException($"{failures} batches failed to verify or read back");
        Print($"");
        Print($"targets: write+sign >= {SignTargetPointsPerSecond:N0} points/s (SPEC.md §11); verify+read >= {VerifyTargetPointsPerSecond:N0} points/s (no cloud figure in SPEC.md: one agent's signing rate assumed)");
    }

    private sealed record Measurement(int Batches, TimeSpan Elapsed, long AllocatedBytes)
    {
        public double BatchesPerSecond => Batches / Elapsed.TotalSeconds;
    }

    // Warm-up first, for N steps and at least a second: tiered compilation promotes hot methods from a
    // background thread after a delay (and later on a loaded machine), so a count alone can time tier-0
    // code. Then a collection so the timed loop does not pay for the warm-up's garbage. Allocations are
    // counted on this thread only.
    private static Measurement Measure(TelemetryBenchOptions o, Action<int> step)
    {
        var warmup = Stopwatch.StartNew();
        for (var i = 0; i < o.Warmup || warmup.Elapsed < MinimumWarmup; i++) step(i);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < o.Batches; i++) step(i);
        var elapsed = Stopwatch.GetElapsedTime(start);
        return new Measurement(o.Batches, elapsed, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
    }

    private static void Report(string label, Measurement m, TelemetryBenchOptions o, double? targetPointsPerSecond)
    {
        var points = m.BatchesPerSecond * o.PointsPerBatch;
        var verdict = targetPointsPerSecond is { } target ? "  " + Verdict.AtLeast(points, target, "points/s") : "";
        Print($"{label,-58} {m.BatchesPerSecond,9:N0} batches/s = {points,11:N0} points/s, {1e6 / m.BatchesPerSecond,7:N1} µs/batch, {(double)m.AllocatedBytes / m.Batches,9:N0} B allocated/batch{verdict}");
    }

    private static string FirstPoint(byte[] json)
    {
        var text = System.Text.Encoding.UTF8.GetString(json);
        var start = text.IndexOf("{\"device\"", StringComparison.Ordinal);
        return start < 0 ? "(none)" : text[start..(text.IndexOf('}', start) + 1)];
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
