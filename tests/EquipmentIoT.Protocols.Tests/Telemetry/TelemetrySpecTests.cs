using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Chain;
using EquipmentIoT.Protocols.Telemetry.Commands;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Json;
using EquipmentIoT.Protocols.Telemetry.State;
using NodaTime;

namespace EquipmentIoT.Protocols.Tests.Telemetry;

/// <summary>
/// Keeps SPEC.md and telemetry-batch-v1.schema.json honest: the worked examples' JWS strings verify with
/// the key printed in the spec, decode to the payloads printed beside them, chain, pass the reader and
/// conform to the schema; the command and state examples are what the codecs write.
/// </summary>
public partial class TelemetrySpecTests
{
    private const string Folder = "protocols/EquipmentIoT.Protocols.Telemetry/";
    private static readonly Lazy<Dictionary<string, string>> Blocks = new(ReadBlocks);
    private static readonly Lazy<MiniJsonSchema> Schema = new(() =>
        new MiniJsonSchema(JsonDocument.Parse(File.ReadAllText(TelemetrySamples.RepositoryFile(Folder + "telemetry-batch-v1.schema.json"))).RootElement));

    [GeneratedRegex(@"^```(\w+) ([\w-]+)\n(.*?)\n```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex NamedBlock();

    // Fenced blocks with a name after the language ("```jws example-1") are the ones the tests read.
    private static Dictionary<string, string> ReadBlocks()
    {
        var spec = File.ReadAllText(TelemetrySamples.RepositoryFile(Folder + "SPEC.md")).ReplaceLineEndings("\n");
        return NamedBlock().Matches(spec).ToDictionary(m => m.Groups[2].Value, m => m.Groups[3].Value);
    }

    private static string Block(string name) =>
        Blocks.Value.TryGetValue(name, out var text) ? text : throw new InvalidOperationException($"SPEC.md has no block '{name}'");

    private static string Normalize(string pem) => pem.ReplaceLineEndings("\n").Trim();

    [Fact]
    public void Spec_ExampleKey_IsTheTestKeyWithTheKidTheSpecPrints()
    {
        Assert.Equal(Normalize(TelemetrySamples.SpecPrivateKeyPem), Normalize(Block("spec-example-key")));
        Assert.Equal(Normalize(TelemetrySamples.SpecPublicKeyPem), Normalize(Block("spec-example-public-key")));
        using var key = AgentKeys.ImportPrivateKeyPem(Block("spec-example-key"));
        var signer = new JwsSigner(key);
        var spec = File.ReadAllText(TelemetrySamples.RepositoryFile(Folder + "SPEC.md"));
        Assert.Contains($"`kid` = `{signer.Kid}`; protected header `{signer.ProtectedHeader}`", spec, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Spec_WorkedExample_VerifiesDecodesToItsPayloadAndConforms(int example)
    {
        using var key = AgentKeys.ImportPublicKeyPem(Block("spec-example-public-key"));
        var jws = Encoding.ASCII.GetBytes(Block($"example-{example}"));
        var payload = Block($"example-{example}-payload");

        var opened = TelemetryEnvelope.Open(jws, TelemetrySamples.VerifierFor(key), "agent-01");

        Assert.True(opened.Success, opened.Error);
        Assert.Equal(payload, Encoding.UTF8.GetString(opened.Value.Message.Payload.Span));
        Assert.Equal(payload, Encoding.UTF8.GetString(TelemetryBatchWriter.ToUtf8(opened.Value.Batch)));
        Assert.Empty(Schema.Value.Validate(JsonDocument.Parse(payload).RootElement));
    }

    [Fact]
    public void Spec_Examples1And2_FormAChainWithThePrintedHashes()
    {
        using var key = AgentKeys.ImportPublicKeyPem(Block("spec-example-public-key"));
        var verifier = TelemetrySamples.VerifierFor(key);
        var first = TelemetryEnvelope.Open(Encoding.ASCII.GetBytes(Block("example-1")), verifier).Value;
        var second = TelemetryEnvelope.Open(Encoding.ASCII.GetBytes(Block("example-2")), verifier).Value;
        var spec = File.ReadAllText(TelemetrySamples.RepositoryFile(Folder + "SPEC.md"));

        Assert.Equal(ChainVerdict.Next, TelemetryChain.Classify(null, first.Batch.Seq, first.Batch.Prev, first.Hash));
        Assert.Equal(ChainVerdict.Next, TelemetryChain.Classify(new ChainPosition(1, first.Hash), second.Batch.Seq, second.Batch.Prev, second.Hash));
        Assert.Contains($"Chain hash, i.e. the next batch's `prev`: `{first.Hash}`", spec, StringComparison.Ordinal);
        Assert.Contains($"its own chain hash is `{second.Hash}`", spec, StringComparison.Ordinal);
    }

    [Fact]
    public void Spec_CommandExamples_AreWhatTheCodecsWrite()
    {
        Assert.Equal(Block("resend-command"), Encoding.UTF8.GetString(new ResendCommand("metrics", 10, 20).ToUtf8()));
        var reply = ResendReply.Parse(Encoding.UTF8.GetBytes(Block("resend-reply")));
        Assert.True(reply.Success, reply.Error);
        Assert.Equal(Block("resend-reply"), Encoding.UTF8.GetString(reply.Value.ToUtf8()));
    }

    [Fact]
    public void Spec_StateRecordExample_IsWhatTheWriterWrites()
    {
        var record = new AgentStateRecord
        {
            Agent = "agent-01",
            Version = "1.4.0",
            Started = Instant.FromUtc(2026, 11, 22, 8, 0),
            At = Instant.FromUtc(2026, 11, 22, 10, 0, 1),
            UptimeSeconds = 7201,
            Buffer = new AgentBufferState(3, 48_000, 12.5, 1_000_000, 1_073_741_824, BufferPressure.Normal),
            Dropped = new AgentDroppedCounts(0, 0, 0),
            Adapters = [new AdapterState("mr-01", "modbus-tcp", AdapterStatus.Ok), new AdapterState("ct-02", "serial", AdapterStatus.Down, "no reply from /dev/ttyUSB0")],
            Transport = new TransportState("mqtt", true),
        };
        var compact = Regex.Replace(Block("state-record"), @"\n\s*", "");
        Assert.Equal(compact, Encoding.UTF8.GetString(AgentStateWriter.ToUtf8(record)));
    }

    [Fact]
    public void Spec_BatchShapeExample_ReadsAsAStructurallyValidBatch()
    {
        // The illustrative batch in §3 has a placeholder prev; with a real hash it must be valid.
        var json = Regex.Replace(Block("batch-shape"), @"\n\s*", "").Replace("<43 chars base64url>", "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU", StringComparison.Ordinal);
        var result = TelemetryBatchReader.Read(Encoding.UTF8.GetBytes(json));
        Assert.True(result.Success, result.Error);
        Assert.Empty(Schema.Value.Validate(JsonDocument.Parse(json).RootElement));
    }

    [Fact]
    public void Schema_Parses_As202012WithTheRequiredMembersOfTheSpec()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(TelemetrySamples.RepositoryFile(Folder + "telemetry-batch-v1.schema.json")));
        var root = schema.RootElement;
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", root.GetProperty("$schema").GetString());
        Assert.Equal(["v", "agent", "stream", "seq", "prev", "created", "metrics", "events"],
            root.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.False(root.GetProperty("additionalProperties").GetBoolean());
    }

    [Theory]
    [InlineData("\"seq\":1,", "", "$.seq: required")]
    [InlineData("\"seq\":1", "\"seq\":0", "$.seq: below")]
    [InlineData("\"v\":1", "\"v\":2", "$.v: is not 1")]
    [InlineData("\"events\":[]", "\"events\":[],\"x\":1", "$.x: not allowed")]
    [InlineData("\"ts\":\"2026-11-22T10:00:01.000Z\"", "\"ts\":\"2026-11-22T10:00:01Z\"", "$.metrics[0].ts: '2026-11-22T10:00:01Z' does not match")]
    [InlineData("\"unit\":\"%\"", "\"unit\":\"deg C\"", "$.metrics[0].unit: 'deg C' does not match")]
    [InlineData("\"value\":71.3", "\"value\":\"71.3\"", "$.metrics[0].value: is String, not number")]
    [InlineData("\"quality\":\"uncertain\"", "\"quality\":\"meh\"", "$.metrics[1].quality:")]
    [InlineData("\"prev\":null", "\"prev\":\"abc\"", "$.prev: matches 0 of the oneOf schemas")]
    public void Schema_BrokenPayload_MiniCheckFindsIt(string find, string replace, string problem)
    {
        var json = Block("example-1-payload").Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Block("example-1-payload"), json);
        var problems = Schema.Value.Validate(JsonDocument.Parse(json).RootElement);
        Assert.Contains(problems, p => p.StartsWith(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Schema_EventsExampleWithBadEvent_MiniCheckFindsIt()
    {
        var json = Block("example-3-payload").Replace("\"type\":\"state\"", "\"type\":\"alarm\"", StringComparison.Ordinal)
            .Replace("\"previous\":\"idle\"", "\"previous\":null", StringComparison.Ordinal);
        var problems = Schema.Value.Validate(JsonDocument.Parse(json).RootElement);
        Assert.Contains(problems, p => p.StartsWith("$.events[0].type:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("$.events[0].data.previous: matches 0", StringComparison.Ordinal));
    }
}
