using NodaTime;

namespace EquipmentIoT.Cloud.Alarms;

/// <summary>
/// The lifecycle's settings: flap detection (<paramref name="FlapToggles"/> raises and clears within <paramref name="FlapWindow"/>),
/// the longest shelf, and per severity the delays after the raise at which an unacknowledged alarm escalates to level 1, 2, ….
/// </summary>
public sealed record AlarmPolicy(int FlapToggles, Duration FlapWindow, Duration MaxShelve, IReadOnlyDictionary<AlarmSeverity, IReadOnlyList<Duration>> Escalation)
{
    /// <summary>The defaults: 6 toggles in 30 minutes, shelves up to 7 days; critical escalates after 15 min and 1 h, major after 1 h and 4 h, minor after 8 h, warning never.</summary>
    public static readonly AlarmPolicy Default = new(6, Duration.FromMinutes(30), Duration.FromDays(7), new Dictionary<AlarmSeverity, IReadOnlyList<Duration>>
    {
        [AlarmSeverity.Critical] = [Duration.FromMinutes(15), Duration.FromHours(1)],
        [AlarmSeverity.Major] = [Duration.FromHours(1), Duration.FromHours(4)],
        [AlarmSeverity.Minor] = [Duration.FromHours(8)],
        [AlarmSeverity.Warning] = [],
    });

    /// <summary>The escalation delays of a severity, shortest first.</summary>
    public IReadOnlyList<Duration> EscalationOf(AlarmSeverity severity) => Escalation.TryGetValue(severity, out var delays) ? delays : [];
}
