using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Model;
using EquipmentIoT.Protocols.Telemetry.Topics;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Agent;

/// <summary>
/// The cloud's side in miniature, for the agent's tests: a persistent-session QoS 1 subscriber that
/// verifies every batch's ES256 signature with the agent's registered public key, reads it strictly,
/// and keeps one copy per (stream, seq). A second copy with identical bytes is a duplicate (counted); one
/// with different bytes is a conflict (a problem). <see cref="ChainProblems"/> then checks that each stream
/// is complete from 1 with every prev equal to the hash of the batch before.
/// </summary>
internal sealed class TelemetryVerifier : IAsyncDisposable
{
    private readonly MqttClient _client;
    private readonly JwsVerifier _verifier;
    private readonly string _agentId;
    private readonly ConcurrentDictionary<(string Stream, long Seq), Received> _batches = new();
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentQueue<byte[]> _wire = new();
    private readonly ConcurrentQueue<(string Topic, byte[] Payload)> _other = new();
    private long _duplicates;
    private byte[]? _state;

    private TelemetryVerifier(MqttClient client, string agentId, ECDsa publicKey)
    {
        _client = client;
        _agentId = agentId;
        var kid = JwkThumbprint.Compute(publicKey);
        _verifier = new JwsVerifier(k => k == kid ? publicKey : null);
        client.MessageReceived = OnMessage;
    }

    public sealed record Received(byte[] Jws, TelemetryBatch Batch, string Hash);

    public static async Task<TelemetryVerifier> StartAsync(MosquittoBroker broker, AgentRun agent, string? userName = null, string? password = null)
    {
        var key = AgentKeys.LoadPublicKey(agent.PublicKeyFile);
        var builder = new MqttClientOptionsBuilder().WithBroker(broker.Host, broker.Port).WithClientId("verifier-" + agent.AgentId)
            .WithCleanSession(false).WithReconnect(true, new MqttRetryPolicy(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), 10_000));
        if (userName is not null) builder.WithCredentials(userName, password);
        var options = builder.Build();
        var client = new MqttClient(options);
        var v = new TelemetryVerifier(client, agent.AgentId, key);
        await client.ConnectAsync();
        await client.SubscribeAsync(TelemetryTopics.Telemetry(agent.AgentId), MqttQualityOfService.AtLeastOnce);
        await client.SubscribeAsync(TelemetryTopics.State(agent.AgentId), MqttQualityOfService.AtLeastOnce);
        await client.SubscribeAsync($"eq/v1/{agent.AgentId}/reply/#", MqttQualityOfService.AtLeastOnce);
        return v;
    }

    public MqttClient Client => _client;

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public IReadOnlyList<string> Problems => _problems.ToList();

    /// <summary>Every telemetry payload as received (for the patient-data check).</summary>
    public IReadOnlyList<byte[]> Wire => _wire.ToList();

    public IReadOnlyList<(string Topic, byte[] Payload)> OtherMessages => _other.ToList();

    /// <summary>The latest state record, parsed.</summary>
    public JsonDocument? State => Volatile.Read(ref _state) is { } s ? JsonDocument.Parse(s) : null;

    public long MaxSeq(string stream) => _batches.Keys.Where(k => k.Stream == stream).Select(k => k.Seq).DefaultIfEmpty(0).Max();

    public int Count(string stream) => _batches.Keys.Count(k => k.Stream == stream);

    public IEnumerable<Received> Batches(string stream) =>
        _batches.Where(kv => kv.Key.Stream == stream).OrderBy(kv => kv.Key.Seq).Select(kv => kv.Value);

    public long Points => _batches.Values.Sum(b => (long)b.Batch.Metrics.Count);

    public Received? Get(string stream, long seq) => _batches.TryGetValue((stream, seq), out var r) ? r : null;

    /// <summary>What is wrong with the chain of <paramref name="stream"/> from seq 1 to the highest seen: gaps, broken links.</summary>
    public IReadOnlyList<string> ChainProblems(string stream)
    {
        var problems = new List<string>();
        string? prevHash = null;
        for (long seq = 1; seq <= MaxSeq(stream); seq++)
        {
            if (!_batches.TryGetValue((stream, seq), out var r))
            {
                problems.Add($"{stream} seq {seq} missing");
                prevHash = null;
                continue;
            }

            if (seq == 1 && r.Batch.Prev is not null) problems.Add($"{stream} seq 1 has a prev");
            if (seq > 1 && prevHash is not null && r.Batch.Prev != prevHash) problems.Add($"{stream} seq {seq}: prev does not match the hash of seq {seq - 1}");
            prevHash = r.Hash;
        }

        return problems;
    }

    /// <summary>Waits until <paramref name="stream"/> holds every batch from 1 to at least <paramref name="seq"/>.</summary>
    public Task WaitForContiguousAsync(string stream, long seq, TimeSpan timeout) =>
        Wait.UntilAsync(() => Enumerable.Range(1, checked((int)seq)).All(s => _batches.ContainsKey((stream, s))), timeout,
            $"{stream} batches 1..{seq} at the verifier (have {Count(stream)}, max {MaxSeq(stream)})");

    private ValueTask OnMessage(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        var payload = message.Payload.ToArray();
        if (message.Topic == TelemetryTopics.State(_agentId))
        {
            Volatile.Write(ref _state, payload);
            return default;
        }

        if (message.Topic != TelemetryTopics.Telemetry(_agentId))
        {
            _other.Enqueue((message.Topic, payload));
            return default;
        }

        _wire.Enqueue(payload);
        var opened = TelemetryEnvelope.Open(payload, _verifier, _agentId);
        if (!opened.TryGetValue(out var batch))
        {
            _problems.Enqueue($"rejected: {opened.Error}");
            return default;
        }

        var received = new Received(payload, batch.Batch, batch.Hash);
        var key = (batch.Batch.Stream, batch.Batch.Seq);
        if (!_batches.TryAdd(key, received))
        {
            if (_batches[key].Jws.AsSpan().SequenceEqual(payload)) Interlocked.Increment(ref _duplicates);
            else _problems.Enqueue($"conflict: two different batches for {key}");
        }

        return default;
    }

    public async ValueTask DisposeAsync() => await _client.DisposeAsync();
}
