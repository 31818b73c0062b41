using System.Text.Json;
using System.Text.Json.Serialization;

namespace EquipmentIoT.Cloud.Rules.Engine;

/// <summary>
/// Everything a <see cref="RuleEngine"/> knows, as plain data (instants as Unix ticks), to be saved as JSON and restored after a
/// restart. Conditions carry their rule's fingerprint: restored into a changed rule they keep only whether they are raised.
/// </summary>
public sealed record RuleEngineSnapshot(int Version, IReadOnlyList<SubjectSnapshot> Subjects, IReadOnlyList<ConditionSnapshot> Conditions)
{
    /// <summary>The format this build writes and reads.</summary>
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The snapshot as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a snapshot; null with a reason when the text is not one this build can restore.</summary>
    public static RuleEngineSnapshot? FromJson(string json, out string? error)
    {
        try
        {
            var snapshot = JsonSerializer.Deserialize<RuleEngineSnapshot>(json, Json);
            error = snapshot is null ? "empty snapshot"
                : snapshot.Version != CurrentVersion ? $"snapshot version {snapshot.Version}, this build reads {CurrentVersion}"
                : snapshot.Subjects is null || snapshot.Conditions is null ? "snapshot without subjects or conditions"
                : null;
            return error is null ? snapshot : null;
        }
        catch (JsonException e)
        {
            error = $"not a rule engine snapshot: {e.Message}";
            return null;
        }
    }
}

/// <summary>A device or agent: registry facts, last data, state machines, active faults, quarantine times, open gaps.</summary>
public sealed record SubjectSnapshot(string Id, RuleSubjectKind Kind, string? DeviceClass, string? Site, string? Agent, long? LastSeen,
    IReadOnlyDictionary<string, string> Machines, IReadOnlyDictionary<string, string> Faults, IReadOnlyList<long> Quarantines,
    IReadOnlyList<GapSnapshot> Gaps);

/// <summary>Missing seqs of one stream.</summary>
public sealed record GapSnapshot(string Stream, long From, long To);

/// <summary>One (rule, subject) condition.</summary>
public sealed record ConditionSnapshot(string Rule, string Fingerprint, string Subject, bool Active, bool? PendingRaise, long? PendingSince,
    double? PendingValue, string? PendingReason, bool PendingFromReading, double? LastValue, long? LastValueAt, IReadOnlyList<RateBucket>? Rate);
