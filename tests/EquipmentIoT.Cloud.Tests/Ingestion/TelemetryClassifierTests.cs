using System.Buffers.Text;
using System.Text;
using EquipmentIoT.Cloud.Ingestion;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Chain;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;

namespace EquipmentIoT.Cloud.Tests.Ingestion;

/// <summary>Every quarantine reason that comes before the chain, from the input that should produce it.</summary>
public sealed class TelemetryClassifierTests : IDisposable
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 22, 10, 0, 0);
    private readonly FakeClock clock = new(Now);
    private readonly InMemoryRegistryForTests registry = new();
    private readonly TestAgent agent = new("agent-01");
    private readonly TestAgent other = new("agent-02");
    private readonly AgentKeyCache keys;
    private readonly TelemetryClassifier classifier;

    public TelemetryClassifierTests()
    {
        var options = Options.Create(new IngestionOptions());
        keys = new AgentKeyCache(registry, clock, options);
        classifier = new TelemetryClassifier(keys, clock, options);
        agent.RegisterAsync(registry, Now).GetAwaiter().GetResult();
        other.RegisterAsync(registry, Now).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task ClassifyAsync_ValidBatch_AcceptedWithKidHashAndReceivedTime()
    {
        var sealedBatch = agent.NextMetrics(Now);

        var accepted = Assert.IsType<AcceptedBatch>(await classifier.ClassifyAsync("agent-01", sealedBatch.Jws, CancellationToken.None));

        Assert.Equal(agent.Kid, accepted.Batch.Kid);
        Assert.Equal(sealedBatch.Hash, accepted.Batch.Hash);
        Assert.Equal(TelemetryChain.Hash(sealedBatch.Jws), accepted.Batch.Hash);
        Assert.Equal(Now, accepted.Batch.Received);
        Assert.Equal(sealedBatch.Jws, accepted.Batch.Jws.ToArray());
        Assert.Equal(1, accepted.Batch.Batch.Seq);
    }

    [Fact]
    public async Task ClassifyAsync_PayloadByteTampered_BadSignature()
    {
        var jws = agent.NextMetrics(Now).Jws;
        var payloadStart = Array.IndexOf(jws, (byte)'.') + 1;
        jws[payloadStart + 10] = jws[payloadStart + 10] == (byte)'A' ? (byte)'B' : (byte)'A';

        await AssertQuarantinedAsync("agent-01", jws, QuarantineReason.BadSignature, "signature");
    }

    [Fact]
    public async Task ClassifyAsync_ResignedWithAnotherKeyUnderTheAgentsKid_BadSignature()
    {
        var jws = Encoding.ASCII.GetString(agent.NextMetrics(Now).Jws);
        var signingInput = jws[..jws.LastIndexOf('.')];
        using var attacker = AgentKeys.Generate();
        var signature = attacker.SignData(Encoding.ASCII.GetBytes(signingInput), System.Security.Cryptography.HashAlgorithmName.SHA256);
        var resigned = signingInput + "." + Base64Url.EncodeToString(signature);

        await AssertQuarantinedAsync("agent-01", Encoding.ASCII.GetBytes(resigned), QuarantineReason.BadSignature, "does not verify");
    }

    [Fact]
    public async Task ClassifyAsync_SignedByAnotherRegisteredAgentOnThisAgentsTopic_TopicMismatch()
    {
        var jws = other.Next(TelemetryStreams.Metrics, Now, [new MetricPoint("dev-1", "m", null, Now, 1)], [], agent: "agent-01").Jws;

        await AssertQuarantinedAsync("agent-01", jws, QuarantineReason.TopicMismatch, "of agent agent-02");
    }

    [Fact]
    public async Task ClassifyAsync_UnregisteredKeyOfRegisteredAgent_UnknownKey()
    {
        using var stranger = new TestAgent("agent-01");

        await AssertQuarantinedAsync("agent-01", stranger.NextMetrics(Now).Jws, QuarantineReason.UnknownKey, stranger.Kid);
    }

    [Fact]
    public async Task ClassifyAsync_UnregisteredAgent_UnknownAgent()
    {
        using var stranger = new TestAgent("agent-99");

        await AssertQuarantinedAsync("agent-99", stranger.NextMetrics(Now).Jws, QuarantineReason.UnknownAgent, "agent-99 is not registered");
    }

    [Fact]
    public async Task ClassifyAsync_RevokedKey_RevokedKey()
    {
        await registry.RevokeKeyAsync(agent.Kid, "lost", Now, CancellationToken.None);

        await AssertQuarantinedAsync("agent-01", agent.NextMetrics(Now).Jws, QuarantineReason.RevokedKey, "revoked");
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("a.b.c")]
    [InlineData("")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJ2IjoxfQ.")]
    public async Task ClassifyAsync_NotAJws_Malformed(string text)
    {
        await AssertQuarantinedAsync("agent-01", Encoding.ASCII.GetBytes(text), QuarantineReason.Malformed, "");

        Assert.Equal(0, registry.AgentLookups); // structure is judged before any lookup
    }

    [Fact]
    public async Task ClassifyAsync_AlgNoneHeaderWithKid_MalformedBeforeKeyLookup()
    {
        var header = Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{{\"alg\":\"none\",\"kid\":\"{agent.Kid}\",\"cty\":\"eq-telemetry-v1+json\"}}"));
        var jws = Encoding.ASCII.GetString(agent.NextMetrics(Now).Jws);
        var forged = header + jws[jws.IndexOf('.')..];

        await AssertQuarantinedAsync("agent-01", Encoding.ASCII.GetBytes(forged), QuarantineReason.Malformed, "none");
    }

    [Fact]
    public async Task ClassifyAsync_SignedPayloadBreaksSchema_SchemaViolation()
    {
        var jws = agent.Signer.Sign("""{"v":2,"agent":"agent-01"}"""u8);

        await AssertQuarantinedAsync("agent-01", jws, QuarantineReason.SchemaViolation, "v");
    }

    [Fact]
    public async Task ClassifyAsync_BatchNamesAnotherAgentThanTopic_TopicMismatch()
    {
        var jws = agent.Next(TelemetryStreams.Metrics, Now, [new MetricPoint("dev-1", "m", null, Now, 1)], [], agent: "agent-02").Jws;

        var entry = await AssertQuarantinedAsync("agent-01", jws, QuarantineReason.TopicMismatch, "names agent-02");
        Assert.Equal(1, entry.Seq);
        Assert.Equal(TelemetryStreams.Metrics, entry.Stream);
    }

    [Theory]
    [InlineData("created")]
    [InlineData("metrics[1].ts")]
    [InlineData("events[0].ts")]
    public async Task ClassifyAsync_TimestampBeyondSkew_FutureTimestamp(string which)
    {
        var future = Now + Duration.FromMinutes(5) + Duration.FromMilliseconds(1);
        var jws = which switch
        {
            "created" => agent.NextMetrics(future).Jws,
            "metrics[1].ts" => agent.Next(TelemetryStreams.Metrics, Now, [new MetricPoint("d", "m", null, Now, 1), new MetricPoint("d", "m", null, future, 2)], []).Jws,
            _ => agent.Next(TelemetryStreams.Events, Now, [], [new TelemetryEvent("d", "state", future)]).Jws,
        };

        await AssertQuarantinedAsync("agent-01", jws, QuarantineReason.FutureTimestamp, which);
    }

    [Fact]
    public async Task ClassifyAsync_TimestampExactlyAtSkew_Accepted()
    {
        var edge = Now + Duration.FromMinutes(5);

        Assert.IsType<AcceptedBatch>(await classifier.ClassifyAsync("agent-01", agent.NextMetrics(edge).Jws, CancellationToken.None));
    }

    public void Dispose()
    {
        keys.Dispose();
        agent.Dispose();
        other.Dispose();
    }

    private async Task<QuarantineEntry> AssertQuarantinedAsync(string topicAgent, byte[] payload, QuarantineReason reason, string detail)
    {
        var rejected = Assert.IsType<RejectedMessage>(await classifier.ClassifyAsync(topicAgent, payload, CancellationToken.None));
        Assert.Equal(reason, rejected.Entry.Reason);
        Assert.Contains(detail, rejected.Entry.Detail, StringComparison.Ordinal);
        Assert.Equal(topicAgent, rejected.Entry.Agent);
        Assert.Equal(Now, rejected.Entry.Received);
        Assert.Equal(payload, rejected.Entry.Payload.ToArray());
        return rejected.Entry;
    }
}
