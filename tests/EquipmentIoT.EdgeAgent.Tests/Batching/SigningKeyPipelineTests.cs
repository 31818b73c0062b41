using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Buffer;
using EquipmentIoT.EdgeAgent.Signing;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Model;
using EquipmentIoT.Testing;
using NodaTime;
using static EquipmentIoT.EdgeAgent.Tests.Batching.PipelineTestContext;

namespace EquipmentIoT.EdgeAgent.Tests.Batching;

/// <summary>
/// The signing key as the pipeline meets it: made on first use when missing, and when the file is bad,
/// signing waits (nothing is sealed, the problem is reported) until a good file appears, without a restart.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SigningKeyPipelineTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 1, 8, 0);

    [Fact]
    public async Task RunAsync_NoKeyFile_KeyGeneratedWithMode0600AndBatchesVerifyWithItsPublicKey()
    {
        await using var context = new PipelineTestContext();
        var buffer = context.OpenBuffer();
        var keys = context.KeyProvider();
        Assert.False(Directory.Exists(Path.GetDirectoryName(context.KeyFile)));

        await CollectAndFlushAsync(context.Pipeline(buffer, keys),
            p => p.AddEvent(new TelemetryEvent("mr-01", EventTypes.State, T0, new Dictionary<string, EventValue> { ["state"] = "ready" })));

        Assert.True(File.Exists(context.KeyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(context.KeyFile));
        using var publicKey = AgentKeys.LoadPublicKey(context.PublicKeyFile);
        var sealedRecord = Assert.Single(await ReadVerifiedAsync(buffer, BufferStreams.Events, publicKey));
        Assert.Equal(1, sealedRecord.Batch.Seq);
        Assert.Null(keys.Problem);
        Assert.Null(context.Counters.LastError);
    }

    [Fact]
    public async Task RunAsync_NoKeyFileAndBothStreamsSealAtOnce_OneKeyMadeAndNeitherStreamWaits()
    {
        // Both sealers ask for the key at the same moment on a first start. Repeated because the two meet
        // by chance; each round is a fresh data directory.
        for (var round = 0; round < 50; round++)
        {
            await using var context = new PipelineTestContext();
            var buffer = context.OpenBuffer();
            var keys = context.KeyProvider();
            var pipeline = context.Pipeline(buffer, keys);
            pipeline.AddMetric(Point("helium_level", T0));
            pipeline.AddEvent(new TelemetryEvent("mr-01", EventTypes.State, T0));
            using var stop = new CancellationTokenSource();
            await stop.CancelAsync();

            var run = pipeline.RunAsync(stop.Token, CancellationToken.None);
            await Wait.UntilAsync(() => run.IsCompleted || context.Counters.LastError is not null, WaitLimit, "both batches sealed or a key error");
            var error = context.Counters.LastError;
            if (error is not null)
            {
                // A sealer went into the 10 s key retry: walk it through so the round ends cleanly, then fail with the error.
                for (var retry = 0; retry < 3 && !run.IsCompleted; retry++)
                {
                    await Wait.UntilAsync(() => run.IsCompleted || context.Time.TimersDueIn(SigningKeyProvider.RetryInterval) > 0, WaitLimit, "the key retry");
                    context.Time.Advance(SigningKeyProvider.RetryInterval);
                }

                Assert.Fail($"round {round}: a first start reported a key error: {error}");
            }

            await run.WaitAsync(WaitLimit);
            Assert.Equal(1, buffer.LastSeq(BufferStreams.Metrics));
            Assert.Equal(1, buffer.LastSeq(BufferStreams.Events));
            using var publicKey = AgentKeys.LoadPublicKey(context.PublicKeyFile);
            Assert.Single(await ReadVerifiedAsync(buffer, BufferStreams.Metrics, publicKey));
            Assert.Single(await ReadVerifiedAsync(buffer, BufferStreams.Events, publicKey));
        }
    }

    [Fact]
    public async Task RunAsync_CorruptKeyFile_ProblemReportedAndNothingSealedUntilAGoodKeyAppears()
    {
        await using var context = new PipelineTestContext();
        Directory.CreateDirectory(Path.GetDirectoryName(context.KeyFile)!);
        await File.WriteAllTextAsync(context.KeyFile, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        var buffer = context.OpenBuffer();
        var keys = context.KeyProvider();
        var pipeline = context.Pipeline(buffer, keys);
        using var stop = new CancellationTokenSource();
        var run = pipeline.RunAsync(stop.Token, CancellationToken.None);
        pipeline.AddMetric(Point("helium_level", T0));
        pipeline.AddEvent(new TelemetryEvent("mr-01", EventTypes.State, T0));
        pipeline.CloseOpenBatches();

        // Both sealers fail to load the key and wait for the retry.
        await Wait.UntilAsync(() => context.Time.TimersDueIn(SigningKeyProvider.RetryInterval) == 2, WaitLimit, "both sealers waiting for the key retry");
        Assert.Contains("signing key", keys.Problem, StringComparison.Ordinal);
        Assert.Contains("signing key", context.Counters.LastError, StringComparison.Ordinal);
        Assert.Contains(context.KeyFile, context.Counters.LastError, StringComparison.Ordinal);
        Assert.Equal(0, context.Counters.SealedBatches);

        // Still bad at the retry: still nothing sealed, and they wait again.
        context.Time.Advance(SigningKeyProvider.RetryInterval);
        await Wait.UntilAsync(() => context.Time.TimersDueIn(SigningKeyProvider.RetryInterval) == 2, WaitLimit, "the second retry");
        Assert.Equal(0, buffer.LastSeq(BufferStreams.Metrics));
        Assert.Equal(0, buffer.LastSeq(BufferStreams.Events));
        Assert.NotNull(keys.Problem);

        // An engineer puts a good key in place: the next retry signs what waited in memory.
        File.Delete(context.KeyFile);
        using var key = context.CreateKeyFile();
        context.Time.Advance(SigningKeyProvider.RetryInterval);
        await Wait.UntilAsync(() => context.Counters.SealedBatches == 2, WaitLimit, "both batches sealed with the new key");
        Assert.Null(keys.Problem);
        Assert.Single(await ReadVerifiedAsync(buffer, BufferStreams.Metrics, key));
        Assert.Single(await ReadVerifiedAsync(buffer, BufferStreams.Events, key));

        await stop.CancelAsync();
        await run.WaitAsync(WaitLimit);
    }
}
