using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EquipmentIoT.EdgeAgent.Configuration;

/// <summary>
/// The agent's configuration, section "Agent" of the JSON file (appsettings style; environment
/// variables <c>EQIOT_AGENT__Agent__…</c> and the command line override it). Every duration is a TimeSpan
/// ("00:00:01"). Relative paths are relative to <see cref="DataDirectory"/>.
/// </summary>
public sealed class AgentOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Agent";

    /// <summary>This agent's id, as registered in the cloud: letters, digits, '.', '_', '-' (1–64).</summary>
    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "Agent:Id must be 1-64 of A-Z a-z 0-9 . _ -")]
    public string Id { get; set; } = "";

    /// <summary>Where the buffer, and by default the keys, live.</summary>
    [Required]
    public string DataDirectory { get; set; } = "/var/lib/eqiot-agent";

    /// <summary>The agent's ECDSA P-256 private key (PKCS#8 PEM), written by <c>eqiot agent keygen</c>.</summary>
    [Required]
    public string KeyFile { get; set; } = "keys/agent.key";

    /// <summary>The site secret (≥ 32 random bytes) that keys patient pseudonyms; shared by a site's agents.</summary>
    [Required]
    public string SiteSecretFile { get; set; } = "keys/site.secret";

    /// <summary>The site's additions to the patient-data policy (what to remove, pseudonymise, allow).</summary>
    [ValidateObjectMembers]
    public Privacy.PhiPolicyOptions? Privacy { get; set; }

    /// <summary>How readings are grouped into signed batches.</summary>
    [Required, ValidateObjectMembers]
    public BatchOptions Batch { get; set; } = new();

    /// <summary>The durable store-and-forward buffer.</summary>
    [Required, ValidateObjectMembers]
    public BufferSettings Buffer { get; set; } = new();

    /// <summary>The way to the cloud.</summary>
    [Required, ValidateObjectMembers]
    public TransportOptions Transport { get; set; } = new();

    /// <summary>The health record.</summary>
    [Required, ValidateObjectMembers]
    public HealthOptions Health { get; set; } = new();

    /// <summary>The equipment this agent reads.</summary>
    [Required, ValidateEnumeratedItems]
    public List<DeviceOptions> Devices { get; set; } = [];

    /// <summary>
    /// The DICOM MPPS listener (SCP) every modality reports its exams to; devices are bound to it by their
    /// <see cref="DeviceOptions.Mpps"/> AE titles (or by <see cref="Adapters.Mpps.MppsListenerOptions.Devices"/>).
    /// </summary>
    [ValidateObjectMembers]
    public Adapters.Mpps.MppsListenerOptions? Mpps { get; set; }

    /// <summary>The site's own device profiles (NAME.yaml), searched before the shipped ones; relative to the data directory.</summary>
    public string ProfileDirectory { get; set; } = "profiles";

    /// <summary>Resolves a configured path against the data directory.</summary>
    public string Resolve(string path) => Path.GetFullPath(path, Path.GetFullPath(DataDirectory));

    /// <summary>Like <see cref="Resolve"/>, for optional settings: null or empty stays null.</summary>
    public string? ResolveOptional(string? path) => string.IsNullOrEmpty(path) ? null : Resolve(path);
}

/// <summary>How readings are grouped into batches. A batch closes when it is full or old enough.</summary>
public sealed class BatchOptions
{
    /// <summary>Most readings in one metrics batch.</summary>
    [Range(1, 100_000)]
    public int MaxPoints { get; set; } = 1000;

    /// <summary>Most events in one events batch.</summary>
    [Range(1, 10_000)]
    public int MaxEvents { get; set; } = 200;

    /// <summary>A batch is closed at most this long after its first reading.</summary>
    [TimeSpanRange("00:00:00.010", "00:10:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Closed metrics batches waiting for the disk; beyond this, new ones are dropped and counted.</summary>
    [Range(1, 100_000)]
    public int PendingMetricBatches { get; set; } = 256;
}

/// <summary>Bounds and policy of the store-and-forward buffer.</summary>
public sealed class BufferSettings
{
    /// <summary>Upper bound of the buffer on disk (both streams).</summary>
    [Range(1L << 20, long.MaxValue)]
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>Size at which a segment file is rolled.</summary>
    [Range(64 * 1024, 1L << 30)]
    public long SegmentBytes { get; set; } = 16L << 20;

    /// <summary>How long acknowledged batches are kept for the cloud's resend command.</summary>
    [TimeSpanRange("00:00:00", "365.00:00:00")]
    public TimeSpan AcknowledgedRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Fraction of <see cref="MaxBytes"/> from which bulk metrics are thinned.</summary>
    [Range(0.1, 1.0)]
    public double ThinningThreshold { get; set; } = 0.8;

    /// <summary>While thinning, one reading per metric per this interval is kept.</summary>
    [TimeSpanRange("00:00:00.001", "1.00:00:00")]
    public TimeSpan ThinningInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>What happens to bulk metrics when the buffer is full.</summary>
    public FullPolicy WhenFull { get; set; } = FullPolicy.ThinThenDrop;
}

/// <summary>The configured policy for bulk metrics under pressure. Events are never dropped under any policy.</summary>
public enum FullPolicy
{
    /// <summary>Thin from the thinning threshold, drop new metrics batches when full (the default).</summary>
    ThinThenDrop,
    /// <summary>Never thin; drop new metrics batches when full.</summary>
    Drop,
}

/// <summary>Which transport carries batches to the cloud, and its settings.</summary>
public sealed class TransportOptions
{
    /// <summary>"mqtt" (any MQTT 3.1.1 broker) or "azure-iot-hub".</summary>
    [Required, RegularExpression("^(mqtt|azure-iot-hub)$", ErrorMessage = "Agent:Transport:Kind must be mqtt or azure-iot-hub")]
    public string Kind { get; set; } = "mqtt";

    /// <summary>Settings of the MQTT broker transport.</summary>
    [Required, ValidateObjectMembers]
    public MqttTransportOptions Mqtt { get; set; } = new();

    /// <summary>Settings of the Azure IoT Hub transport.</summary>
    [ValidateObjectMembers]
    public Publishing.AzureIotHubTransportOptions? AzureIotHub { get; set; }
}

/// <summary>The MQTT broker: address, TLS (mTLS with a client certificate), credentials, window.</summary>
public sealed class MqttTransportOptions
{
    /// <summary>mqtt://host:port or mqtts://host:port (TLS).</summary>
    [Required]
    public string Broker { get; set; } = "mqtt://127.0.0.1:1883";

    /// <summary>MQTT client id; the agent id when empty.</summary>
    public string? ClientId { get; set; }

    /// <summary>PEM file of the CA(s) that sign the broker's certificate (TLS only).</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate for mTLS.</summary>
    public string? CertFile { get; set; }

    /// <summary>PEM private key of the client certificate.</summary>
    public string? CertKeyFile { get; set; }

    /// <summary>User name, if the broker asks for one.</summary>
    public string? UserName { get; set; }

    /// <summary>A file holding the password (never the password itself in configuration).</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Unacknowledged batches on the wire at once.</summary>
    [Range(1, 65_535)]
    public int MaxInflight { get; set; } = 20;

    /// <summary>MQTT keep-alive.</summary>
    [TimeSpanRange("00:00:01", "18:12:15")]
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait between reconnect attempts.</summary>
    [TimeSpanRange("00:00:00.100", "01:00:00")]
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>The health record published retained on <c>eq/v1/{agent}/state</c>.</summary>
public sealed class HealthOptions
{
    /// <summary>How often the record is republished (it is also published on every change of connection).</summary>
    [TimeSpanRange("00:00:00.100", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>One piece of equipment and how to read it.</summary>
public sealed class DeviceOptions
{
    /// <summary>The device id used in every reading, e.g. "mr-01".</summary>
    [Required, RegularExpression("^[A-Za-z0-9._:-]{1,64}$")]
    public string Id { get; set; } = "";

    /// <summary>ct, mr, pet-ct, linac, am-printer, …</summary>
    [Required]
    public string Kind { get; set; } = "";

    /// <summary>
    /// "profile" (read through <see cref="Profile"/>: serial, Modbus and/or MPPS as the profile says) or "synthetic";
    /// when empty, "profile" if a profile is named, else "synthetic".
    /// </summary>
    public string? Adapter { get; set; }

    /// <summary>
    /// The device profile: a shipped profile's name (ct-serial-mpps, mr-helium-monitor, am-printer-pbf), a name
    /// found in <see cref="AgentOptions.ProfileDirectory"/>, or a path to a YAML file.
    /// </summary>
    public string? Profile { get; set; }

    /// <summary>The adapter that reads the device, after defaults.</summary>
    public string EffectiveAdapter => string.IsNullOrEmpty(Adapter) ? (Profile is null ? "synthetic" : "profile") : Adapter;

    /// <summary>The serial port, for a profile with a 'serial' section.</summary>
    [ValidateObjectMembers]
    public Adapters.Serial.SerialDeviceOptions? Serial { get; set; }

    /// <summary>Where its Modbus slave is (TCP, or RTU on a serial port), for a profile with a 'modbus' section.</summary>
    [ValidateObjectMembers]
    public Adapters.Modbus.ModbusDeviceOptions? Modbus { get; set; }

    /// <summary>How its exams reach the agent's MPPS listener, for a profile with an 'mpps' section.</summary>
    [ValidateObjectMembers]
    public DeviceMppsOptions? Mpps { get; set; }

    /// <summary>Settings of the synthetic source.</summary>
    [ValidateObjectMembers]
    public Adapters.Synthetic.SyntheticDeviceOptions? Synthetic { get; set; }
}

/// <summary>How a modality's MPPS messages are recognised as this device's: either AE title, or both.</summary>
public sealed class DeviceMppsOptions
{
    /// <summary>The AE title the modality calls the agent with.</summary>
    [RegularExpression(@"^[\x20-\x5B\x5D-\x7E]{1,16}$")]
    public string? CallingAeTitle { get; set; }

    /// <summary>The Performed Station AE Title (0040,0241) in its steps (several modalities behind one gateway).</summary>
    [RegularExpression(@"^[\x20-\x5B\x5D-\x7E]{1,16}$")]
    public string? StationAeTitle { get; set; }
}
