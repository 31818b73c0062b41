using System.ComponentModel.DataAnnotations;

namespace EquipmentIoT.Cloud.Web;

/// <summary>The web UI's settings (section <c>WebUi</c>): session length, lockout, the time zone of devices without a site.</summary>
public sealed class WebUiOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "WebUi";

    /// <summary>A session ends after this long without a request (sliding).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Failed sign-ins in a row that lock a user.</summary>
    [Range(1, 100)]
    public int LockoutFailures { get; set; } = 5;

    /// <summary>How long such a lockout lasts.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often live parts of a page (the device page's latest values) are re-read while it is open.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LiveRefresh { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The IANA time zone for devices whose site is unknown.</summary>
    [Required]
    public string DefaultTimeZone { get; set; } = "Asia/Shanghai";
}
