using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Rules.Engine;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Alarms;

/// <summary>Rule transitions and a policy for the alarm tests, at explicit instants from <see cref="T0"/>.</summary>
internal static class AlarmTestData
{
    public static readonly Instant T0 = Instant.FromUtc(2026, 3, 2, 8, 0);

    /// <summary>4 toggles in 10 minutes make flapping; critical escalates after 15 and 60 minutes.</summary>
    public static readonly AlarmPolicy Policy = AlarmPolicy.Default with { FlapToggles = 4, FlapWindow = Duration.FromMinutes(10) };

    public static RuleTransition Raise(Instant at, string rule = "mr.helium.low", string device = "mr-01", AlarmSeverity severity = AlarmSeverity.Critical) =>
        new(rule, device, RuleSubjectKind.Device, RuleTransitionKind.Raise, at, severity, 58, "helium_level 58 below 60", "mr", "site-a");

    public static RuleTransition Clear(Instant at, string rule = "mr.helium.low", string device = "mr-01") =>
        new(rule, device, RuleSubjectKind.Device, RuleTransitionKind.Clear, at, AlarmSeverity.Critical, 62, "helium_level 62 above 61", "mr", "site-a");

    /// <summary>A fired alarm as the lifecycle makes it, with an id as if saved.</summary>
    public static Alarm Fired(Instant at, AlarmSeverity severity = AlarmSeverity.Critical) =>
        AlarmLifecycle.Apply(null, Raise(at, severity: severity), Policy)!.Alarm with { Id = 1, Version = 1 };

    /// <summary>The alarm with its toggle list as text, so that record equality compares the list's contents.</summary>
    public static (Alarm Alarm, string Toggles) ToComparable(this Alarm alarm) => (alarm with { RecentToggles = [] }, string.Join(",", alarm.RecentToggles));
}
