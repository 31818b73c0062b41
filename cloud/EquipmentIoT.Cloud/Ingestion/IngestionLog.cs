using EquipmentIoT.Cloud.Storage;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Cloud.Ingestion;

/// <summary>The ingestion's log lines: one per quarantine, gap, resend and connection change; never a payload.</summary>
internal static partial class IngestionLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Quarantined a message of agent {Agent} ({Stream} seq {Seq}): {Reason}: {Detail}")]
    public static partial void Quarantined(ILogger logger, string agent, string? stream, long? seq, QuarantineReason reason, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gap on {Agent}/{Stream}: batches {From}..{To} are missing; asking the agent to resend them")]
    public static partial void GapFound(ILogger logger, string agent, string stream, long from, long to);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gap on {Agent}/{Stream}: batch {Seq} arrived and filled it")]
    public static partial void GapFilled(ILogger logger, string agent, string stream, long seq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Asked agent {Agent} to resend {Stream} {From}..{To} (request {Request} for this gap)")]
    public static partial void ResendRequested(ILogger logger, string agent, string stream, long from, long to, int request);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gap on {Agent}/{Stream} {From}..{To} asked for {Requests} times without an answer; no more requests (it stays open)")]
    public static partial void ResendGivenUp(ILogger logger, string agent, string stream, long from, long to, int requests);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask for resends: {Reason}; trying again at the next check")]
    public static partial void ResendFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {Agent} answered resend {Stream} {From}..{To}: {Republished} republished, {Unavailable} unavailable")]
    public static partial void ResendReplied(ILogger logger, string agent, string stream, long from, long to, long republished, long unavailable);

    [LoggerMessage(Level = LogLevel.Error, Message = "Group commit of {Count} messages failed; they stay unacknowledged and the broker delivers them again: {Reason}")]
    public static partial void CommitFailed(ILogger logger, int count, string reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Wrote the points of {Count} stored batches that were not yet in the series store")]
    public static partial void SeriesRecovered(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the points of pending stored batches failed: {Reason}; trying again in {Interval}")]
    public static partial void SeriesRecoveryFailed(ILogger logger, string reason, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a message on {Topic}: {Reason}")]
    public static partial void Skipped(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A message was not stored and stays unacknowledged (the broker delivers it again): {Reason}")]
    public static partial void HandlerFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingestion connected to {Broker} as {ClientId} (session present: {SessionPresent})")]
    public static partial void Connected(ILogger logger, string broker, string clientId, bool sessionPresent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingestion lost the broker: {Reason} (reconnecting: {WillReconnect})")]
    public static partial void Disconnected(ILogger logger, string reason, bool willReconnect);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingestion cannot connect to {Broker}: {Reason}; trying again in {Delay}")]
    public static partial void ConnectFailed(ILogger logger, string broker, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingestion subscribed to {Filters}")]
    public static partial void Subscribed(ILogger logger, string filters);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A stored-batch observer ({Observer}) failed; the batches are stored all the same")]
    public static partial void ObserverFailed(ILogger logger, Exception exception, string observer);
}
