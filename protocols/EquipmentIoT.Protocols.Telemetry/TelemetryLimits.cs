namespace EquipmentIoT.Protocols.Telemetry;

/// <summary>
/// The fixed size rules of envelope v1 (SPEC.md §limits). Writers refuse to produce, and readers refuse
/// to accept, anything outside them. The configurable ceilings (counts, bytes) are in
/// <see cref="Json.TelemetryReaderOptions"/> and <see cref="Jose.JwsVerifierOptions"/>.
/// </summary>
public static class TelemetryLimits
{
    /// <summary>Longest agent id, device id and metric name: 64 ASCII characters.</summary>
    public const int MaxIdLength = 64;

    /// <summary>Longest unit text: 32 printable ASCII characters.</summary>
    public const int MaxUnitLength = 32;

    /// <summary>Longest event type: 64 characters.</summary>
    public const int MaxEventTypeLength = 64;

    /// <summary>Longest key in an event's <c>data</c>: 64 characters.</summary>
    public const int MaxDataKeyLength = 64;

    /// <summary>Most entries in one event's <c>data</c>.</summary>
    public const int MaxDataEntries = 64;

    /// <summary>Longest string value in an event's <c>data</c>, in UTF-8 bytes.</summary>
    public const int MaxTextBytes = 1024;

    /// <summary>Largest sequence number: 2^53 − 1, so that any JSON implementation reads it exactly.</summary>
    public const long MaxSeq = 9_007_199_254_740_991;

    /// <summary>Length of a <c>prev</c> or <c>kid</c> value: base64url of 32 bytes without padding.</summary>
    public const int HashTextLength = 43;

    /// <summary>Default ceiling on metric points per batch.</summary>
    public const int DefaultMaxMetrics = 100_000;

    /// <summary>Default ceiling on events per batch.</summary>
    public const int DefaultMaxEvents = 10_000;

    /// <summary>Default ceiling on a JWS compact serialisation (and so on the MQTT payload): 1 MiB.</summary>
    public const int DefaultMaxCompactBytes = 1024 * 1024;
}
