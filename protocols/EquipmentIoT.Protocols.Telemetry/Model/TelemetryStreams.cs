namespace EquipmentIoT.Protocols.Telemetry.Model;

/// <summary>
/// The two streams of envelope v1 (SPEC.md §streams). Each has its own sequence numbers and chain.
/// </summary>
public static class TelemetryStreams
{
    /// <summary>Bulk readings; the agent's buffer may thin or drop these under pressure (and counts what it dropped).</summary>
    public const string Metrics = "metrics";

    /// <summary>Events, alarms and build records; never dropped by the agent.</summary>
    public const string Events = "events";

    /// <summary>True for "metrics" and "events" (ordinal, case-sensitive).</summary>
    public static bool IsKnown(string? stream) => stream is Metrics or Events;

    internal static bool IsKnown(ReadOnlySpan<byte> utf8) => utf8.SequenceEqual("metrics"u8) || utf8.SequenceEqual("events"u8);
}
