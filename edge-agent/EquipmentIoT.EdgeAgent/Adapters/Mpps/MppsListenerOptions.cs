using System.ComponentModel.DataAnnotations;
using System.Net;
using EquipmentIoT.EdgeAgent.Configuration;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Adapters.Mpps;

/// <summary>
/// The agent's one MPPS listener (DICOM SCP for Verification and Modality Performed Procedure Step),
/// serving every device that reports exams, and which device each modality is.
/// </summary>
public sealed class MppsListenerOptions : IValidatableObject
{
    /// <summary>TCP port; 11112 is the registered DICOM port (0: any free port, for tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 11112;

    /// <summary>Address to listen on: 127.0.0.1 by default; the hospital LAN address (or 0.0.0.0) in production.</summary>
    [Required]
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Our AE title, which the modalities are configured to call.</summary>
    [Required, RegularExpression(@"^[\x20-\x5B\x5D-\x7E]{1,16}$", ErrorMessage = "AeTitle must be 1-16 printable ASCII characters without backslash")]
    public string AeTitle { get; set; } = "EQIOT";

    /// <summary>Accept associations from any calling AE title (otherwise only the devices' <see cref="MppsDeviceBinding.CallingAeTitle"/>s).</summary>
    public bool AcceptAnyCallingAeTitle { get; set; }

    /// <summary>Most associations at once.</summary>
    [Range(1, 256)]
    public int MaxAssociations { get; set; } = 8;

    /// <summary>The A-ASSOCIATE-RQ must arrive this soon after a connection opens (ARTIM).</summary>
    [TimeSpanRange("00:00:01", "00:05:00")]
    public TimeSpan ArtimTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>An association silent for this long is aborted.</summary>
    [TimeSpanRange("00:00:01", "01:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest P-DATA-TF PDU accepted (the maximum length we announce).</summary>
    [Range(4096, 16 * 1024 * 1024)]
    public int MaxPduLength { get; set; } = 64 * 1024;

    /// <summary>Most performed procedure steps remembered between N-CREATE and the final N-SET.</summary>
    [Range(1, 100_000)]
    public int MaxInstances { get; set; } = 1000;

    /// <summary>A step without its final N-SET is forgotten after this long.</summary>
    [TimeSpanRange("00:01:00", "7.00:00:00")]
    public TimeSpan InstanceTimeToLive { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The site's IANA time zone (e.g. Asia/Shanghai): MPPS dates and times are local to the modality.</summary>
    [Required]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Which device each modality is.</summary>
    [ValidateEnumeratedItems]
    public List<MppsDeviceBinding> Devices { get; set; } = [];

    /// <summary>The time zone named by <see cref="TimeZone"/>.</summary>
    /// <remarks>A method, not a property: the configuration binder (source-generated when the agent is published trimmed) would try to bind it.</remarks>
    public DateTimeZone GetZone() => DateTimeZoneProviders.Tzdb.GetZoneOrNull(TimeZone) ?? throw new InvalidOperationException($"unknown time zone '{TimeZone}'");

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(TimeZone) is null)
            yield return new ValidationResult($"TimeZone '{TimeZone}' is not an IANA time zone id (e.g. Europe/Berlin, Asia/Shanghai)", [nameof(TimeZone)]);
        if (!IPAddress.TryParse(BindAddress, out _))
            yield return new ValidationResult($"BindAddress '{BindAddress}' is not an IP address", [nameof(BindAddress)]);
    }

    /// <summary>
    /// Problems with the device bindings as a whole. The agent checks these on the listener it will run, whose
    /// <see cref="Devices"/> also hold the bindings of devices configured with their own AE titles.
    /// </summary>
    public IEnumerable<string> BindingErrors()
    {
        if (!AcceptAnyCallingAeTitle && Devices.All(d => d.CallingAeTitle is null))
            yield return "no device has a CallingAeTitle: name them, or set AcceptAnyCallingAeTitle";
        foreach (var group in Devices.GroupBy(d => d.DeviceId, StringComparer.Ordinal).Where(g => g.Count() > 1))
            yield return $"device '{group.Key}' is listed more than once";
        foreach (var group in Devices.GroupBy(d => (d.CallingAeTitle, d.StationAeTitle)).Where(g => g.Count() > 1))
            yield return $"devices {string.Join(", ", group.Select(d => d.DeviceId))} have the same AE titles and cannot be told apart";
    }

    /// <summary>A copy of these settings whose <see cref="Devices"/> also hold <paramref name="bindings"/>.</summary>
    public MppsListenerOptions WithBindings(IEnumerable<MppsDeviceBinding> bindings)
    {
        var copy = (MppsListenerOptions)MemberwiseClone();
        copy.Devices = [.. Devices, .. bindings];
        return copy;
    }
}

/// <summary>
/// Which device an MPPS message belongs to: the calling AE title of the association, the Performed Station
/// AE Title (0040,0241) of the step, or both (several modalities behind one gateway share a calling AE title).
/// </summary>
public sealed class MppsDeviceBinding : IValidatableObject
{
    /// <summary>The device id in the agent's configuration.</summary>
    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public string DeviceId { get; set; } = "";

    /// <summary>The AE title the modality calls us with.</summary>
    [RegularExpression(@"^[\x20-\x5B\x5D-\x7E]{1,16}$")]
    public string? CallingAeTitle { get; set; }

    /// <summary>The Performed Station AE Title (0040,0241) in its steps.</summary>
    [RegularExpression(@"^[\x20-\x5B\x5D-\x7E]{1,16}$")]
    public string? StationAeTitle { get; set; }

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CallingAeTitle is null && StationAeTitle is null)
            yield return new ValidationResult($"device '{DeviceId}' needs a CallingAeTitle, a StationAeTitle or both", [nameof(CallingAeTitle)]);
    }
}
