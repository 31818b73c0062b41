using System.Globalization;
using EquipmentIoT.Protocols.AzureIotHub;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;

namespace EquipmentIoT.EdgeAgent.Publishing;

// Device-to-cloud messages (telemetry, replies) and received cloud-to-device messages (commands).
public sealed partial class AzureIotHubTransport
{
    /// <inheritdoc/>
    public ValueTask PublishTelemetryAsync(string stream, long seq, ReadOnlyMemory<byte> jws, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ThrowIfTooLarge(jws);
        var properties = new IotHubPropertyBag()
            .Add("stream", stream)
            .Add("seq", seq.ToString(CultureInfo.InvariantCulture))
            .Add(IotHubPropertyBag.ContentType, IotHubMqttConventions.JoseContentType)
            .Add(IotHubPropertyBag.ContentEncoding, IotHubMqttConventions.Utf8ContentEncoding);
        return PublishGatedAsync(IotHubMqttConventions.TelemetryTopic(_options.DeviceId, properties), jws, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask PublishReplyAsync(string command, ReadOnlyMemory<byte> replyJson, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        ThrowIfTooLarge(replyJson);
        var properties = new IotHubPropertyBag()
            .Add(ReplyProperty, command)
            .Add(IotHubPropertyBag.ContentType, IotHubMqttConventions.JsonContentType)
            .Add(IotHubPropertyBag.ContentEncoding, IotHubMqttConventions.Utf8ContentEncoding);
        return PublishGatedAsync(IotHubMqttConventions.TelemetryTopic(_options.DeviceId, properties), replyJson, cancellationToken);
    }

    private ValueTask PublishGatedAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        RunGatedAsync(
            static (self, state, ct) => self._client.PublishAsync(state.Topic, state.Payload, MqttQualityOfService.AtLeastOnce, retain: false, ct),
            (Topic: topic, Payload: payload), cancellationToken);

    private async ValueTask OnMessageAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        if (message.Topic.StartsWith("$iothub/twin/res/", StringComparison.Ordinal))
        {
            OnTwinResponse(message.Topic);
            return;
        }

        var properties = IotHubMqttConventions.ParseCloudToDeviceTopic(message.Topic, _options.DeviceId);
        if (!properties.Success)
        {
            LogUnexpectedMessage(_logger, properties.Error);
            return;
        }

        if (!properties.Value.TryGetValue(CommandProperty, out var command) || command is null || !IsCommandName(command))
        {
            // Completed (acknowledged) so that IoT Hub does not deliver it again and again.
            LogNotACommand(_logger, properties.Value.Count);
            return;
        }

        if (CommandReceived is { } handler)
        {
            await handler(new TransportCommand(command, message.Payload.ToArray()), cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsCommandName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static void ThrowIfTooLarge(ReadOnlyMemory<byte> payload)
    {
        if (payload.Length > IotHubMqttConventions.MaxMessageBytes)
            throw new ArgumentException(
                $"{payload.Length} bytes is more than IoT Hub accepts in one message ({IotHubMqttConventions.MaxMessageBytes}); make batches smaller",
                nameof(payload));
    }
}
