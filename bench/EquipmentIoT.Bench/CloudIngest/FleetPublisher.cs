using System.Diagnostics;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Bench.CloudIngest;

/// <summary>
/// The load generator: K connections of our MqttClient (clean session, in-flight window W, no reconnect: a
/// dropped connection fails the run), the agents spread over them round-robin. Each connection publishes its
/// agents' batches interleaved (batch 1 of each, then batch 2 of each, …) at QoS 1, in seq order per agent,
/// keeping W unacknowledged, as fast as the broker acknowledges.
/// </summary>
internal sealed class FleetPublisher : IAsyncDisposable
{
    private readonly MqttClient[] _clients;
    private readonly SimulatedAgent[][] _agents;
    private readonly int _window;

    private FleetPublisher(MqttClient[] clients, SimulatedAgent[][] agents, int window)
    {
        _clients = clients;
        _agents = agents;
        _window = window;
    }

    /// <summary>Connects every publisher (not timed).</summary>
    public static async Task<FleetPublisher> ConnectAsync(MosquittoBroker broker, SimulatedFleet fleet, int connections, int window,
        CancellationToken cancellationToken)
    {
        var agents = Enumerable.Range(0, connections)
            .Select(c => fleet.Agents.Where((_, i) => i % connections == c).ToArray())
            .ToArray();
        var clients = new MqttClient[connections];
        var publisher = new FleetPublisher(clients, agents, window);
        try
        {
            for (var c = 0; c < connections; c++)
            {
                clients[c] = new MqttClient(new MqttClientOptionsBuilder()
                    .WithBroker(broker.Host, broker.Port)
                    .WithClientId($"eqiot-bench-pub-{c + 1:D4}")
                    .WithCleanSession(true)
                    .WithMaxInflight(window)
                    .WithReconnect(false)
                    .Build());
                await clients[c].ConnectAsync(cancellationToken).ConfigureAwait(false);
            }
            return publisher;
        }
        catch
        {
            await publisher.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Publishes every batch; returns the <see cref="Stopwatch.GetTimestamp"/> when the last PUBACK came in.</summary>
    public async Task<long> PublishAllAsync(CancellationToken cancellationToken)
    {
        var connections = _clients.Select((client, c) => Task.Run(() => PublishAsync(client, _agents[c], cancellationToken), cancellationToken));
        await Task.WhenAll(connections).ConfigureAwait(false);
        return Stopwatch.GetTimestamp();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            if (client is not null) await client.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task PublishAsync(MqttClient client, SimulatedAgent[] agents, CancellationToken cancellationToken)
    {
        // The oldest publish is awaited before another starts once W are out: its PUBACK frees the slot the
        // next one takes, so publishes enter the window (and reach the broker) in the order they are made.
        var pending = new Queue<Task>(_window);
        foreach (var (agent, jws) in SimulatedFleet.Interleaved(agents))
        {
            if (pending.Count >= _window) await pending.Dequeue().ConfigureAwait(false);
            pending.Enqueue(client.PublishAsync(agent.Topic, jws, MqttQualityOfService.AtLeastOnce, retain: false, cancellationToken).AsTask());
        }
        await Task.WhenAll(pending).ConfigureAwait(false);
    }
}
