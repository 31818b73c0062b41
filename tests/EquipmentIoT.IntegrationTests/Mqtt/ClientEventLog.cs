using System.Collections.Concurrent;
using EquipmentIoT.Protocols.Mqtt.Client;

namespace EquipmentIoT.IntegrationTests.Mqtt;

/// <summary>Records a client's Connected / Disconnected / Reconnecting events (raised on its own threads).</summary>
internal sealed class ClientEventLog
{
    private readonly ConcurrentQueue<MqttConnectedEventArgs> connected = new();
    private readonly ConcurrentQueue<MqttDisconnectedEventArgs> disconnected = new();
    private readonly ConcurrentQueue<MqttReconnectingEventArgs> reconnecting = new();

    public ClientEventLog(MqttClient client)
    {
        client.Connected += (_, e) => connected.Enqueue(e);
        client.Disconnected += (_, e) => disconnected.Enqueue(e);
        client.Reconnecting += (_, e) => reconnecting.Enqueue(e);
    }

    public IReadOnlyList<MqttConnectedEventArgs> Connected => [.. connected];

    public IReadOnlyList<MqttDisconnectedEventArgs> Disconnected => [.. disconnected];

    public IReadOnlyList<MqttReconnectingEventArgs> Reconnecting => [.. reconnecting];

    public IReadOnlyList<MqttConnectedEventArgs> Reconnects => [.. connected.Where(e => e.IsReconnect)];

    public int Redelivered => connected.Sum(e => e.Redelivered);
}
