namespace EquipmentIoT.Protocols.Telemetry.Topics;

/// <summary>A topic name of SPEC.md §topics taken apart by <see cref="TelemetryTopics.TryParse"/>.</summary>
/// <param name="AgentId">The agent id (second level).</param>
/// <param name="Kind">Which topic.</param>
/// <param name="Command">The command name for <see cref="TelemetryTopicKind.Command"/> and <see cref="TelemetryTopicKind.Reply"/>; otherwise null.</param>
public readonly record struct TelemetryTopic(string AgentId, TelemetryTopicKind Kind, string? Command);
