using Microsoft.Extensions.Logging;

namespace EquipmentIoT.EdgeAgent.Publishing;

// Source-generated log messages (never keys, tokens or payloads).
public sealed partial class AzureIotHubTransport
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to IoT Hub {HostName} as {DeviceId} (session present: {SessionPresent}, {Redelivered} in flight resent)")]
    private static partial void LogConnected(ILogger logger, string hostName, string deviceId, bool sessionPresent, int redelivered);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection to IoT Hub lost: {Reason} (reconnecting: {WillReconnect})")]
    private static partial void LogDisconnected(ILogger logger, string reason, bool willReconnect);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot connect to IoT Hub: {Reason}; trying again in {Delay}")]
    private static partial void LogConnectFailed(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Debug, Message = "New SAS token, valid until {ExpiresAt:O}")]
    private static partial void LogTokenIssued(ILogger logger, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconnecting {DeviceId} to IoT Hub to renew its SAS token before it expires")]
    private static partial void LogRenewing(ILogger logger, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Messages on the wire were not acknowledged within {Limit} before the token renewal; they are sent again after it")]
    private static partial void LogDrainTimedOut(ILogger logger, TimeSpan limit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent again after the token renewal cut it off: {Reason}")]
    private static partial void LogResentAfterRenewal(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IoT Hub refused a subscription of {DeviceId} (cloud-to-device or twin responses)")]
    private static partial void LogSubscribeRefused(ILogger logger, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the offline state before disconnecting: {Reason}")]
    private static partial void LogOfflineNotPublished(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a twin response: {Reason}")]
    private static partial void LogBadTwinResponse(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Twin response {RequestId} (status {Status}) matched no waiting request (timed out or from an earlier connection)")]
    private static partial void LogUnmatchedTwinResponse(ILogger logger, string requestId, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a message: {Reason}")]
    private static partial void LogUnexpectedMessage(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Completed a cloud-to-device message without a valid 'command' property ({Count} properties); nothing was done")]
    private static partial void LogNotACommand(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS is off for {HostName}:{Port}: IoT Hub itself refuses plain TCP, so this is only for tests against a local broker")]
    private static partial void LogNoTls(ILogger logger, string hostName, int port);
}
