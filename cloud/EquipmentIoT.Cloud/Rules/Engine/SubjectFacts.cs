using NodaTime;

namespace EquipmentIoT.Cloud.Rules.Engine;

/// <summary>What the engine knows about one device or agent, shared by every rule that watches it.</summary>
internal sealed class SubjectFacts(string id, RuleSubjectKind kind)
{
    // Quarantine times kept per agent at most: a storm must not grow memory without limit (a rule's count tops out here).
    public const int MaxQuarantines = 10_000;

    public string Id { get; } = id;

    public RuleSubjectKind Kind { get; } = kind;

    public string? DeviceClass { get; set; }

    public string? Site { get; set; }

    public string? Agent { get; set; }

    /// <summary>The newest data timestamp seen for the subject.</summary>
    public Instant? LastSeen { get; private set; }

    /// <summary>State machine → current state, from <c>state</c> events.</summary>
    public Dictionary<string, string> Machines { get; } = new(StringComparer.Ordinal);

    /// <summary>Active fault code → its text, from <c>fault</c> events.</summary>
    public Dictionary<string, string> Faults { get; } = new(StringComparer.Ordinal);

    /// <summary>When messages of this agent were quarantined (oldest first).</summary>
    public List<Instant> Quarantines { get; } = [];

    /// <summary>Stream → missing seqs.</summary>
    public Dictionary<string, SeqIntervals> Gaps { get; } = new(StringComparer.Ordinal);

    public long MissingBatches => Gaps.Values.Sum(g => g.Missing);

    public void Seen(Instant at)
    {
        if (LastSeen is not { } last || at > last) LastSeen = at;
    }

    public void Restore(Instant? lastSeen) => LastSeen = lastSeen;

    public void Quarantined(Instant at, Duration keep)
    {
        var i = Quarantines.Count;
        while (i > 0 && Quarantines[i - 1] > at) i--;
        Quarantines.Insert(i, at);
        Forget(at - keep);
        if (Quarantines.Count > MaxQuarantines) Quarantines.RemoveAt(0);
    }

    /// <summary>Quarantines at or before <paramref name="at"/> and after <paramref name="at"/> − <paramref name="window"/>.</summary>
    public int QuarantinedWithin(Instant at, Duration window) => Quarantines.Count(q => q > at - window && q <= at);

    public void Forget(Instant before) => Quarantines.RemoveAll(q => q <= before);

    public SeqIntervals GapsOf(string stream)
    {
        if (!Gaps.TryGetValue(stream, out var gaps)) Gaps[stream] = gaps = new SeqIntervals();
        return gaps;
    }

    public void Describe(DeviceInfo info)
    {
        DeviceClass = info.DeviceClass;
        Site = info.Site;
        Agent = info.Agent ?? Agent;
    }
}
