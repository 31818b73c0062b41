using System.Security.Cryptography;
using System.Text;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Chain;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Json;

namespace EquipmentIoT.Protocols.Tests.Telemetry;

/// <summary>The per-stream hash chain (SPEC.md §chain) and the verifier's decision table.</summary>
public class TelemetryChainTests
{
    private const string H1 = "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU";
    private const string H2 = "LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564";

    [Fact]
    public void Hash_EmptyInput_IsBase64UrlOfSha256OfNothing()
    {
        // SHA-256("") = e3b0c442…b855 (FIPS 180-4 test vector), base64url without padding.
        Assert.Equal(H1, TelemetryChain.Hash([]));
    }

    [Fact]
    public void Hash_Utf8Overload_SameText()
    {
        Span<byte> utf8 = stackalloc byte[43];
        TelemetryChain.Hash("a.b.c"u8, utf8);
        Assert.Equal(TelemetryChain.Hash("a.b.c"u8), Encoding.ASCII.GetString(utf8));
        Assert.Equal(Convert.ToBase64String(SHA256.HashData("a.b.c"u8)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            TelemetryChain.Hash("a.b.c"u8));
    }

    [Fact]
    public void Seal_ThreeBatches_EachPrevIsTheHashOfTheJwsBefore()
    {
        using var key = AgentKeys.Generate();
        var signer = new JwsSigner(key);
        var verifier = TelemetrySamples.VerifierFor(key);
        var one = TelemetryEnvelope.Seal(TelemetrySamples.MetricsBatch(1), signer);
        var two = TelemetryEnvelope.Seal(TelemetrySamples.MetricsBatch(2, one.Hash), signer);
        var three = TelemetryEnvelope.Seal(TelemetrySamples.MetricsBatch(3, two.Hash), signer);

        ChainPosition? last = null;
        foreach (var sealedBatch in new[] { one, two, three })
        {
            var opened = TelemetryEnvelope.Open(sealedBatch.Jws, verifier, "agent-01").Value;
            Assert.Equal(sealedBatch.Hash, opened.Hash);
            Assert.Equal(ChainVerdict.Next, TelemetryChain.Classify(last, opened.Batch.Seq, opened.Batch.Prev, opened.Hash));
            last = new ChainPosition(opened.Batch.Seq, opened.Hash);
        }
    }

    [Fact]
    public void Open_BatchOfAnotherAgentOnThisTopic_Refused()
    {
        using var key = AgentKeys.Generate();
        var jws = TelemetryEnvelope.Seal(TelemetrySamples.MetricsBatch(), new JwsSigner(key)).Jws;
        var result = TelemetryEnvelope.Open(jws, TelemetrySamples.VerifierFor(key), "agent-02");
        Assert.Equal("agent: the batch names \"agent-01\" but arrived on the topic of \"agent-02\"", result.Error);
    }

    [Fact]
    public void Open_SignedGarbagePayload_RefusedByTheReader()
    {
        using var key = AgentKeys.Generate();
        var jws = new JwsSigner(key).Sign("""{"v":1,"agent":"agent-01"}"""u8);
        Assert.Equal("stream: required member missing", TelemetryEnvelope.Open(jws, TelemetrySamples.VerifierFor(key)).Error);
    }

    [Theory]
    [InlineData(null, 0L, 1L, null, H2, ChainVerdict.Next)]       // a stream's first batch
    [InlineData(null, 0L, 5L, H1, H2, ChainVerdict.Gap)]          // nothing stored yet, seq 1..4 missing
    [InlineData(H1, 4L, 5L, H1, H2, ChainVerdict.Next)]
    [InlineData(H1, 4L, 5L, H2, H2, ChainVerdict.Broken)]         // seq fits, prev does not
    [InlineData(H1, 4L, 5L, null, H2, ChainVerdict.Broken)]
    [InlineData(H1, 4L, 4L, H2, H1, ChainVerdict.Duplicate)]      // QoS 1 redelivery, same bytes
    [InlineData(H1, 4L, 4L, H2, H2, ChainVerdict.Conflict)]       // same seq, other bytes
    [InlineData(H1, 4L, 9L, H2, H2, ChainVerdict.Gap)]
    [InlineData(H1, 4L, 2L, H2, H2, ChainVerdict.Earlier)]
    [InlineData(H1, 4L, 1L, null, H2, ChainVerdict.Earlier)]
    public void Classify_DecisionTable(string? lastHash, long lastSeq, long seq, string? prev, string hash, ChainVerdict expected)
    {
        ChainPosition? last = lastHash is null ? null : new ChainPosition(lastSeq, lastHash);
        Assert.Equal(expected, TelemetryChain.Classify(last, seq, prev, hash));
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(null, "a", false)]
    [InlineData("abc", "abc", true)]
    [InlineData("abc", "abd", false)]
    [InlineData("abc", "abcd", false)]
    [InlineData("", "", true)]
    public void FixedTimeEquals_ComparesOrdinally(string? a, string? b, bool equal) => Assert.Equal(equal, TelemetryChain.FixedTimeEquals(a, b));

    [Fact]
    public void Writer_RefusesAPrevThatIsNotAHash()
    {
        var batch = TelemetrySamples.MetricsBatch(2, "not-a-hash");
        Assert.StartsWith("prev: must be 43 characters", TelemetryBatchWriter.Validate(batch), StringComparison.Ordinal);
    }
}
