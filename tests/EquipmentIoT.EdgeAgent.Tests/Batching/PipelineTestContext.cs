using System.Runtime.Versioning;
using System.Security.Cryptography;
using EquipmentIoT.EdgeAgent.Batching;
using EquipmentIoT.EdgeAgent.Buffer;
using EquipmentIoT.EdgeAgent.Configuration;
using EquipmentIoT.EdgeAgent.Health;
using EquipmentIoT.EdgeAgent.Privacy;
using EquipmentIoT.EdgeAgent.Signing;
using EquipmentIoT.EdgeAgent.Tests.Collection;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Json;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Tests.Batching;

/// <summary>
/// One test's sealing pipeline on real parts: a temporary data directory holding a real DurableBuffer and a
/// real P-256 key file, a fake clock (timers fire only when the test advances it), counters, and the
/// default PHI policy with a fixed site secret. Disposes every buffer and key provider it made and deletes
/// the directory.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class PipelineTestContext : IAsyncDisposable
{
    public const string AgentId = "edge-test-01";

    /// <summary>Long enough for a slow CI box, short enough that a hang fails the test rather than the run.</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(20);

    private readonly List<DurableBuffer> _buffers = [];
    private readonly List<SigningKeyProvider> _keys = [];

    public PipelineTestContext()
    {
        Root = Path.Combine(Path.GetTempPath(), "eqiot-pipeline-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Options = new AgentOptions
        {
            Id = AgentId,
            DataDirectory = Root,
            Batch = new BatchOptions { MaxPoints = 2, MaxEvents = 2, MaxAge = TimeSpan.FromSeconds(1), PendingMetricBatches = 64 },
            Buffer = new BufferSettings { ThinningInterval = TimeSpan.FromMinutes(1), WhenFull = FullPolicy.ThinThenDrop },
        };
    }

    public string Root { get; }

    public string KeyFile => Path.Combine(Root, "keys", "agent.key");

    public string PublicKeyFile => Path.Combine(Root, "keys", "agent.pub.pem");

    public FakeTimeProvider Time { get; } = new();

    public IClock Clock => Time.Clock;

    public AgentCounters Counters { get; } = new();

    public AgentOptions Options { get; }

    /// <summary>The buffer's own bounds (the pipeline only reads its pressure); maintenance is left to the tests.</summary>
    public BufferOptions BufferOptions { get; } = new()
    {
        SegmentBytes = 64 * 1024,
        MaxBytes = 16L << 20,
        MaintenanceInterval = TimeSpan.FromHours(1),
    };

    /// <summary>32 fixed bytes: pseudonyms are the same in every run.</summary>
    public static PhiSiteSecret SiteSecret { get; } = new(Enumerable.Range(0, 32).Select(i => (byte)(0x3C ^ i)).ToArray());

    public PhiScrubber Scrubber { get; } = new(PhiPolicy.Default, SiteSecret);

    public DurableBuffer OpenBuffer()
    {
        BufferOptions.Directory = Path.Combine(Root, "buffer");
        var buffer = DurableBuffer.Open(BufferOptions, Time, NullLogger<DurableBuffer>.Instance);
        _buffers.Add(buffer);
        return buffer;
    }

    /// <summary>Writes a new key to <see cref="KeyFile"/> (as <c>eqiot agent keygen</c> does) and returns it for verifying.</summary>
    public ECDsa CreateKeyFile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyFile)!);
        var key = AgentKeys.Generate();
        AgentKeys.SavePrivateKey(key, KeyFile);
        return key;
    }

    public SigningKeyProvider KeyProvider()
    {
        var keys = new SigningKeyProvider(KeyFile, Time, Counters, NullLogger<SigningKeyProvider>.Instance);
        _keys.Add(keys);
        return keys;
    }

    public TelemetryPipeline Pipeline(DurableBuffer buffer, SigningKeyProvider keys) =>
        new(Options, buffer, keys, Scrubber, Counters, Clock, Time, NullLoggerFactory.Instance);

    /// <summary>
    /// Hands what <paramref name="collect"/> adds to a pipeline that is told to stop at once, so RunAsync
    /// closes every open batch and returns when all of it is on disk.
    /// </summary>
    public static async Task CollectAndFlushAsync(TelemetryPipeline pipeline, Action<TelemetryPipeline> collect)
    {
        collect(pipeline);
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        await pipeline.RunAsync(stop.Token, CancellationToken.None).WaitAsync(WaitLimit);
    }

    /// <summary>Every record of <paramref name="stream"/> on disk, each checked against <paramref name="key"/> and decoded.</summary>
    public static async Task<List<SealedRecord>> ReadVerifiedAsync(DurableBuffer buffer, string stream, ECDsa key)
    {
        var last = buffer.LastSeq(stream);
        if (last == 0) return [];
        var range = await buffer.ReadRangeAsync(stream, 1, last, CancellationToken.None);
        Assert.Empty(range.Unavailable);
        var kid = JwkThumbprint.Compute(key);
        var verifier = new JwsVerifier(k => k == kid ? key : null);
        var sealedRecords = new List<SealedRecord>();
        foreach (var record in range.Records)
        {
            var verified = verifier.Verify(record.Payload.Span);
            Assert.True(verified.Success, $"{stream} {record.Seq}: {verified.Error}");
            var batch = TelemetryBatchReader.Read(verified.Value.Payload.Span);
            Assert.True(batch.Success, $"{stream} {record.Seq}: {batch.Error}");
            sealedRecords.Add(new SealedRecord(record.Payload.ToArray(), batch.Value));
        }

        return sealedRecords;
    }

    public static MetricPoint Point(string name, Instant at, double value = 1.0, string device = "mr-01") =>
        new(device, name, "%", at, value);

    public async ValueTask DisposeAsync()
    {
        foreach (var keys in _keys) keys.Dispose();
        foreach (var buffer in _buffers) await buffer.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}

/// <summary>A record as stored (the JWS bytes) and the batch it carries.</summary>
internal sealed record SealedRecord(byte[] Jws, TelemetryBatch Batch);
