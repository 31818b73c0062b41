using System.Security.Cryptography;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Topics;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Bench.Footprint;

/// <summary>
/// Subscribes (our MQTT client, QoS 1) to one agent's telemetry and opens every batch with the agent's
/// public key, counting points, so a footprint is only reported for an agent that really delivers. The
/// key is read from the agent's data directory when the first batch arrives (the agent writes it on
/// first start, before it signs anything).
/// </summary>
internal sealed class TelemetryCounter : IAsyncDisposable
{
    private readonly MqttClient _client;
    private readonly string _agentId;
    private readonly string _publicKeyFile;
    private ECDsa? _key;
    private JwsVerifier? _verifier;
    private long _batches;
    private long _points;
    private long _failures;
    private string? _lastFailure;

    private TelemetryCounter(MosquittoBroker broker, string agentId, string publicKeyFile)
    {
        _agentId = agentId;
        _publicKeyFile = publicKeyFile;
        var options = new MqttClientOptionsBuilder()
            .WithBroker(broker.Host, broker.Port)
            .WithClientId("eqiot-bench-counter-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)))
            .WithCleanSession(true)
            .Build();
        _client = new MqttClient(options) { MessageReceived = OnMessageAsync };
    }

    public long Batches => Interlocked.Read(ref _batches);
    public long Points => Interlocked.Read(ref _points);
    public long Failures => Interlocked.Read(ref _failures);
    public string? LastFailure => Volatile.Read(ref _lastFailure);

    public static async Task<TelemetryCounter> StartAsync(MosquittoBroker broker, string agentId, string publicKeyFile, CancellationToken cancellationToken)
    {
        var counter = new TelemetryCounter(broker, agentId, publicKeyFile);
        try
        {
            await counter._client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            await counter._client.SubscribeAsync(TelemetryTopics.Telemetry(agentId), MqttQualityOfService.AtLeastOnce, cancellationToken).ConfigureAwait(false);
            return counter;
        }
        catch
        {
            await counter.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync().ConfigureAwait(false);
        _key?.Dispose();
    }

    private ValueTask OnMessageAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        // Messages arrive one at a time from the client's dispatch loop: no locking needed here.
        if (_verifier is null)
        {
            try
            {
                _key = AgentKeys.LoadPublicKey(_publicKeyFile);
            }
            catch (AgentKeyException ex)
            {
                Fail(ex.Message);
                return ValueTask.CompletedTask;
            }

            var kid = JwkThumbprint.Compute(_key);
            var key = _key;
            _verifier = new JwsVerifier(k => k == kid ? key : null);
        }

        var opened = TelemetryEnvelope.Open(message.Payload.Span, _verifier, _agentId);
        if (opened.TryGetValue(out var batch))
        {
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _points, batch.Batch.Metrics.Count);
        }
        else
        {
            Fail(opened.Error!);
        }

        return ValueTask.CompletedTask;
    }

    private void Fail(string why)
    {
        Interlocked.Increment(ref _failures);
        Volatile.Write(ref _lastFailure, why);
    }
}
