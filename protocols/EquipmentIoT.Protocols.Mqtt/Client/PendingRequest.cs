using EquipmentIoT.Protocols.Mqtt.Packets;

namespace EquipmentIoT.Protocols.Mqtt.Client;

/// <summary>A SUBSCRIBE or UNSUBSCRIBE awaiting its SUBACK / UNSUBACK.</summary>
internal sealed class PendingRequest(MqttPacketType expected)
{
    private readonly TaskCompletionSource<MqttPacketWithIdentifier> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public MqttPacketType Expected { get; } = expected;
    public Task<MqttPacketWithIdentifier> Task => _tcs.Task;

    public void Complete(MqttPacketWithIdentifier ack) => _tcs.TrySetResult(ack);
    public void Fail(Exception error) => _tcs.TrySetException(error);
}
