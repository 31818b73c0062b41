namespace EquipmentIoT.Protocols.Telemetry.Topics;

/// <summary>The kinds of topic under <c>eq/v1/{agentId}/</c> (SPEC.md §topics).</summary>
public enum TelemetryTopicKind
{
    /// <summary><c>eq/v1/{agentId}/telemetry</c>: signed batches (JWS), agent → cloud, QoS 1, not retained.</summary>
    Telemetry,

    /// <summary><c>eq/v1/{agentId}/state</c>: the retained state/health record; also the last will (status offline).</summary>
    State,

    /// <summary><c>eq/v1/{agentId}/cmd/{command}</c>: a command, cloud → agent.</summary>
    Command,

    /// <summary><c>eq/v1/{agentId}/reply/{command}</c>: a command's reply, agent → cloud.</summary>
    Reply,
}
