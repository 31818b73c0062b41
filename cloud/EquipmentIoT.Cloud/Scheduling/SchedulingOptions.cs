using System.ComponentModel.DataAnnotations;

namespace EquipmentIoT.Cloud.Scheduling;

/// <summary>Section "Scheduling": the Quartz scheduler on scheduler.db and how instances sharing it take turns.</summary>
public sealed class SchedulingOptions
{
    public const string Section = "Scheduling";

    /// <summary>
    /// How often an instance on standby tries to become the one that fires jobs (when the leader stops or dies,
    /// its lock is released by the kernel and the next try of another instance takes over).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan LeaderPollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How late a trigger may fire before Quartz treats it as misfired and applies its misfire instruction instead
    /// (each trigger states its own: see the README, "Scheduling").
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Jobs that may run at once on the leading instance.</summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 4;
}
