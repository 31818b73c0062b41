using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Cloud.Storage;

/// <summary>What every registry store logs about agents and their keys (SQLite and PostgreSQL alike).</summary>
internal static partial class RegistryLog
{
    [LoggerMessage(1, LogLevel.Information, "Registered agent {Agent} with key {Kid}")]
    public static partial void AgentRegistered(ILogger logger, string agent, string kid);

    [LoggerMessage(2, LogLevel.Information, "Added key {Kid} to agent {Agent} (rotation)")]
    public static partial void KeyAdded(ILogger logger, string agent, string kid);

    [LoggerMessage(3, LogLevel.Information, "Revoked key {Kid} of agent {Agent}")]
    public static partial void KeyRevoked(ILogger logger, string agent, string kid);

    [LoggerMessage(4, LogLevel.Warning, "Agent {Agent} has no live key left after revoking {Kid}: every batch it sends is quarantined until a new key is added")]
    public static partial void LastKeyRevoked(ILogger logger, string agent, string kid);
}
