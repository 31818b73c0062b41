using System.Collections.Frozen;

namespace EquipmentIoT.Cloud.Usage;

/// <summary>
/// What counts as working, and how exam events are paired. The rule, in full:
/// <list type="bullet">
/// <item>A device with <c>state</c> events works while its state (<c>data.state</c>) is anything but one of
/// <see cref="NonWorkingStates"/>: idle, ready, standby, off, offline, sleep, fault, error (case-insensitive).
/// A state holds from its event until the next one; before the first known state nothing counts; the last one
/// holds until the end of the range or now, whichever is earlier.</item>
/// <item>A device without any state event works during its exams instead: a completed exam lasts its
/// <c>durationSeconds</c> when the event carries it, else from its matched <c>exam.started</c> to its
/// completion (a discontinued exam likewise, up to its discontinuation); overlapping exams count once.</item>
/// <item>An <c>exam.completed</c> is paired with the <c>exam.started</c> of the same device carrying the same value
/// in the first of <see cref="ExamIdKeys"/> that both have; without any id, with the latest unpaired start.</item>
/// <item>Exams are counted per local day of their completion; discontinued exams are counted apart.</item>
/// </list>
/// </summary>
public static class UsageRules
{
    /// <summary>States in which a device is not working.</summary>
    public static FrozenSet<string> NonWorkingStates { get; } =
        new[] { "idle", "ready", "standby", "off", "offline", "sleep", "fault", "error" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Keys that identify one exam across its events, most specific first: our own names, then the MPPS SOP
    /// instance (N-CREATE's Affected SOP Instance UID), the study and the accession number (pseudonymised by
    /// the agent, consistently, so they still pair).
    /// </summary>
    public static IReadOnlyList<string> ExamIdKeys { get; } =
        ["mpps", "exam", "study", "AffectedSOPInstanceUID", "StudyInstanceUID", "AccessionNumber", "StudyID"];

    /// <summary>The event data member with an exam's duration in seconds.</summary>
    public const string DurationSecondsKey = "durationSeconds";

    /// <summary>The event data member with the new state.</summary>
    public const string StateKey = "state";

    /// <summary>True when <paramref name="state"/> counts as working.</summary>
    public static bool IsWorking(string state) => !NonWorkingStates.Contains(state);
}
