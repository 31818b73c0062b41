using System.Globalization;
using EquipmentIoT.Protocols.AzureIotHub;
using EquipmentIoT.Protocols.Mqtt;

namespace EquipmentIoT.EdgeAgent.Publishing;

// Twin: the state record as a reported-properties patch, IoT Hub's responses to it, and failing those still waiting.
public sealed partial class AzureIotHubTransport
{
    /// <summary>
    /// Sends the state record as a reported-properties patch and completes when IoT Hub answered 2xx. A
    /// refusal throws <see cref="MqttCommunicationException"/>, transient for 429 and 5xx; no answer within
    /// <see cref="AzureIotHubTransportOptions.TwinResponseTimeout"/> throws a transient one.
    /// </summary>
    public ValueTask PublishStateAsync(ReadOnlyMemory<byte> stateJson, CancellationToken cancellationToken)
    {
        ThrowIfTooLarge(stateJson);
        return RunGatedAsync(static (self, json, ct) => self.PatchReportedAsync(json, ct), stateJson, cancellationToken);
    }

    private async ValueTask PatchReportedAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        var requestId = Interlocked.Increment(ref _nextRequestId).ToString(CultureInfo.InvariantCulture);
        var answer = new TaskCompletionSource<IotHubTwinResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingTwin[requestId] = answer;
        try
        {
            await _client.PublishAsync(IotHubMqttConventions.TwinReportedPatchTopic(requestId), json, MqttQualityOfService.AtLeastOnce,
                retain: false, cancellationToken).ConfigureAwait(false);
            IotHubTwinResponse response;
            try
            {
                response = await answer.Task.WaitAsync(_options.TwinResponseTimeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                throw new MqttCommunicationException(
                    $"IoT Hub did not answer the reported-properties update within {_options.TwinResponseTimeout.TotalSeconds:0.#} s", e);
            }

            if (!response.IsSuccess)
                throw new MqttCommunicationException($"IoT Hub refused the reported-properties update with status {response.Status}", response.IsTransient);
        }
        finally
        {
            _pendingTwin.TryRemove(requestId, out _);
        }
    }

    /// <summary>Completes the patch waiting for a response on <c>$iothub/twin/res/…</c>; others are logged.</summary>
    private void OnTwinResponse(string topic)
    {
        var response = IotHubMqttConventions.ParseTwinResponseTopic(topic);
        if (!response.Success) LogBadTwinResponse(_logger, response.Error);
        else if (_pendingTwin.TryGetValue(response.Value.RequestId, out var waiting)) waiting.TrySetResult(response.Value);
        else LogUnmatchedTwinResponse(_logger, response.Value.RequestId, response.Value.Status);
    }

    private void FailPendingTwin(Exception error)
    {
        foreach (var (id, waiting) in _pendingTwin)
        {
            if (_pendingTwin.TryRemove(id, out _)) waiting.TrySetException(error);
        }
    }
}
