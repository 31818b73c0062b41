using System.ComponentModel.DataAnnotations;

namespace EquipmentIoT.Cloud.Ingestion;

/// <summary>
/// Ingestion settings, section "Ingestion": the broker, the shared subscription, what counts as a
/// timestamp from the future, group commit, resend pacing and the key cache. Durations are TimeSpans ("00:00:30").
/// </summary>
public sealed class IngestionOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Ingestion";

    /// <summary>mqtt://host:port or mqtts://host:port (TLS).</summary>
    [Required]
    public string Broker { get; set; } = "mqtt://127.0.0.1:1883";

    /// <summary>User name, if the broker asks for one.</summary>
    public string? UserName { get; set; }

    /// <summary>A file holding the password (never the password itself in configuration).</summary>
    public string? PasswordFile { get; set; }

    /// <summary>PEM file of the CA(s) that sign the broker's certificate (mqtts only); the system store when empty.</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate for mTLS.</summary>
    public string? CertFile { get; set; }

    /// <summary>PEM private key of the client certificate.</summary>
    public string? CertKeyFile { get; set; }

    /// <summary>The shared-subscription group all ingestion instances join (<c>$share/{group}/…</c>).</summary>
    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "Ingestion:ShareGroup must be 1-64 of A-Z a-z 0-9 . _ -")]
    public string ShareGroup { get; set; } = "ingest";

    /// <summary>
    /// This instance's stable name. The MQTT client id is <c>eqiot-cloud-{InstanceName}</c>, the same after
    /// every restart, so that the broker keeps the persistent session (and queues messages) while it is down.
    /// Give each instance sharing a broker its own name.
    /// </summary>
    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "Ingestion:InstanceName must be 1-64 of A-Z a-z 0-9 . _ -")]
    public string InstanceName { get; set; } = "1";

    /// <summary>Overrides the client id derived from <see cref="InstanceName"/>.</summary>
    public string? ClientId { get; set; }

    /// <summary>MQTT keep-alive.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "18:12:15")]
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait between reconnect attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the points of stored batches still marked "series pending" are written again (besides at start). With
    /// several instances on shared records, this is how the points of an instance that died between its two commits reach
    /// the series store without waiting for that instance to come back.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan SeriesRecoveryInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Messages being verified and committed at once (the MQTT client's pipeline): enough to fill a few
    /// group commits. A broker may hold back more than its own window of unacknowledged messages
    /// (mosquitto: <c>max_inflight_messages</c>); set that at least this high.
    /// </summary>
    [Range(1, 65_535)]
    public int MaxPendingAcknowledgements { get; set; } = 2048;

    /// <summary>How far a batch's created time or a point's/event's time may lie ahead of the cloud's clock.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most messages (batches and quarantines) committed in one ledger transaction.</summary>
    [Range(1, 10_000)]
    public int GroupCommitSize { get; set; } = 1024;

    /// <summary>How long a group that is not full waits for more messages before it commits.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan GroupCommitLatency { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Messages waiting for the committer; when full the MQTT handler waits (and the broker holds the rest).</summary>
    [Range(1, 1_000_000)]
    public int CommitQueueCapacity { get; set; } = 4096;

    /// <summary>The first resend request for a gap goes at once; a repeat waits this long, doubling each time.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan ResendInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two requests for one gap.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "7.00:00:00")]
    public TimeSpan MaxResendInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How many times a gap is asked for before the cloud stops asking (it stays open and counted).</summary>
    [Range(1, 1000)]
    public int MaxResendRequests { get; set; } = 8;

    /// <summary>How often open gaps are checked for a request that is due.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan ResendCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a key found in the registry is trusted before it is read again (so a revocation made by another instance takes effect).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan KeyCacheTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long "no such key" or "no such agent" is remembered (a flood of unknown kids does not reach the registry).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan NegativeCacheTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The MQTT client id: <see cref="ClientId"/>, or <c>eqiot-cloud-{InstanceName}</c>.</summary>
    public string EffectiveClientId => string.IsNullOrEmpty(ClientId) ? "eqiot-cloud-" + InstanceName : ClientId;
}
