using System.ComponentModel.DataAnnotations;
using EquipmentIoT.EdgeAgent.Configuration;
using EquipmentIoT.Protocols.AzureIotHub;

namespace EquipmentIoT.EdgeAgent.Publishing;

/// <summary>
/// The Azure IoT Hub transport (section <c>Agent:Transport:AzureIotHub</c>): the hub, the device identity
/// and how it authenticates, either a symmetric key (SAS tokens, renewed before they expire) or an X.509
/// client certificate. Relative paths are resolved by the caller (against the data directory).
/// </summary>
public sealed class AzureIotHubTransportOptions : IValidatableObject
{
    /// <summary>The hub's host name, e.g. <c>contoso.azure-devices.net</c>.</summary>
    [Required]
    public string HostName { get; set; } = "";

    /// <summary>The device id registered in the hub.</summary>
    [Required]
    public string DeviceId { get; set; } = "";

    /// <summary>
    /// The device's symmetric key (base64), for tests and commissioning; prefer
    /// <see cref="SharedAccessKeyFile"/>. Never logged.
    /// </summary>
    public string? SharedAccessKey { get; set; }

    /// <summary>A file holding the device's symmetric key (base64, surrounding whitespace ignored). Never logged.</summary>
    public string? SharedAccessKeyFile { get; set; }

    /// <summary>PEM client certificate for X.509 authentication (instead of a key).</summary>
    public string? CertFile { get; set; }

    /// <summary>PEM private key of <see cref="CertFile"/> (when not in the same file).</summary>
    public string? KeyFile { get; set; }

    /// <summary>The hub's MQTT port.</summary>
    [Range(1, 65_535)]
    public int Port { get; set; } = IotHubMqttConventions.Port;

    /// <summary>PEM file of the CA(s) to trust instead of the system store (e.g. DigiCert Global Root G2).</summary>
    public string? CaFile { get; set; }

    /// <summary>The api-version in the MQTT user name.</summary>
    [Required, RegularExpression("^[A-Za-z0-9.-]{1,32}$")]
    public string ApiVersion { get; set; } = IotHubMqttConventions.DefaultApiVersion;

    /// <summary>How long each SAS token is valid; the transport reconnects with a fresh one at 80 % of it.</summary>
    [TimeSpanRange("00:00:02", "365.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>TLS, as IoT Hub requires. Only tests against a local plain broker turn it off.</summary>
    public bool UseTls { get; set; } = true;

    /// <summary>Unacknowledged messages on the wire at once (QoS 1).</summary>
    [Range(1, 65_000)]
    public int MaxInflight { get; set; } = 20;

    /// <summary>MQTT keep-alive; IoT Hub honours at most 1177 s.</summary>
    [TimeSpanRange("00:00:01", "00:19:37")]
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest wait between reconnect attempts.</summary>
    [TimeSpanRange("00:00:00.050", "01:00:00")]
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a reported-properties update may wait for IoT Hub's answer.</summary>
    [TimeSpanRange("00:00:00.100", "00:10:00")]
    public TimeSpan TwinResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>True when the device authenticates with a certificate rather than SAS tokens.</summary>
    public bool UsesCertificate => !string.IsNullOrEmpty(CertFile);

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Problems().Select(p => new ValidationResult($"Agent:Transport:AzureIotHub: {p}"));

    /// <summary>What is wrong with these settings (empty when nothing); checked again by the transport's constructor.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (IotHubIdentifiers.ValidateHostName(HostName) is { } host) problems.Add($"HostName: {host}");
        if (IotHubIdentifiers.ValidateDeviceId(DeviceId) is { } device) problems.Add($"DeviceId: {device}");
        var ways = (string.IsNullOrEmpty(SharedAccessKey) ? 0 : 1) + (string.IsNullOrEmpty(SharedAccessKeyFile) ? 0 : 1) + (UsesCertificate ? 1 : 0);
        if (ways != 1) problems.Add("set exactly one of SharedAccessKeyFile, SharedAccessKey or CertFile (with KeyFile)");
        if (!string.IsNullOrEmpty(KeyFile) && !UsesCertificate) problems.Add("KeyFile needs CertFile");
        if (UsesCertificate && !UseTls) problems.Add("certificate authentication needs UseTls");
        if (TokenLifetime < TimeSpan.FromSeconds(2)) problems.Add("TokenLifetime must be at least 2 s");
        if (Port is < 1 or > 65_535) problems.Add("Port must be 1..65535");
        if (MaxInflight is < 1 or > 65_000) problems.Add("MaxInflight must be 1..65000");
        if (KeepAlive <= TimeSpan.Zero || KeepAlive > IotHubMqttConventions.MaxKeepAlive) problems.Add("KeepAlive must be 1 s..1177 s (IoT Hub's limit)");
        if (MaxReconnectDelay < TimeSpan.FromMilliseconds(50)) problems.Add("MaxReconnectDelay must be at least 50 ms");
        if (TwinResponseTimeout <= TimeSpan.Zero) problems.Add("TwinResponseTimeout must be positive");
        return problems;
    }
}
