namespace EquipmentIoT.Cloud.Builds;

/// <summary>The result of recomputing the build ledger.</summary>
/// <param name="FirstBroken">The first link that does not hold, or null when all do.</param>
public sealed record BuildVerification(bool Ok, long Links, long Entries, BrokenLink? FirstBroken);

/// <summary>Where the ledger breaks and why.</summary>
public sealed record BrokenLink(long Seq, long BuildId, string? BatchNumber, string Reason);

/// <summary>
/// Recomputes the build ledger from what is stored now: every link's place (seq, previous hash), its own hash, and
/// what it holds — a sealed record's canonical content (record, layers and their summaries, timeline, entries, parts)
/// and every entry's hash chain, or a correction's entry. A row edited behind the system's back changes a hash; the
/// first link that no longer holds is reported.
/// </summary>
public sealed class BuildVerifier(IBuildStore store)
{
    /// <summary>Verifies the whole ledger.</summary>
    public async Task<BuildVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        var links = await store.LedgerAsync(cancellationToken).ConfigureAwait(false);
        string? previous = null;
        long expected = 1, entries = 0;
        var details = new Dictionary<long, BuildDetail?>();
        foreach (var link in links)
        {
            if (!details.TryGetValue(link.BuildId, out var detail))
                details[link.BuildId] = detail = await store.GetAsync(link.BuildId, cancellationToken).ConfigureAwait(false);
            var reason = Check(link, expected, previous, detail, ref entries);
            if (reason is not null) return new BuildVerification(false, links.Count, entries, new BrokenLink(link.Seq, link.BuildId, detail?.Record.BatchNumber, reason));
            previous = link.Hash;
            expected++;
        }

        return new BuildVerification(true, links.Count, entries, null);
    }

    private static string? Check(BuildLedgerLink link, long expected, string? previous, BuildDetail? detail, ref long entries)
    {
        if (link.Seq != expected) return $"link {expected} is missing (found {link.Seq})";
        if (link.PreviousHash != previous) return $"its previous hash is not the hash of link {expected - 1}";
        if (BuildCanonical.LinkHash(link.Seq, link.Kind, link.BuildId, link.EntryId, link.LastEntryId, link.ContentHash, link.PreviousHash, link.At,
                link.Actor) != link.Hash)
            return "the link itself was changed (its hash does not match its fields)";
        if (detail is null) return $"build {link.BuildId} is missing";
        var chain = CheckEntries(detail, link.LastEntryId, ref entries);
        if (chain is not null) return chain;
        switch (link.Kind)
        {
            case BuildLedgerKind.Seal:
                return BuildCanonical.Sha256(BuildCanonical.Content(detail, link.LastEntryId)) == link.ContentHash
                    ? null
                    : "the sealed record's content changed since it was sealed (its canonical hash differs)";
            case BuildLedgerKind.Correction:
                var entry = detail.Entries.FirstOrDefault(e => e.Id == link.EntryId);
                return entry is null ? $"correction entry {link.EntryId} is missing"
                    : entry.Hash != link.ContentHash ? $"correction entry {entry.Id} changed since it was recorded" : null;
            default:
                return $"unknown link kind {link.Kind}";
        }
    }

    // Each entry's hash recomputed from its stored fields, and chained to the entry before it.
    private static string? CheckEntries(BuildDetail detail, long lastEntryId, ref long entries)
    {
        string? previous = null;
        foreach (var e in detail.Entries.Where(e => e.Id <= lastEntryId))
        {
            entries++;
            if (e.PreviousHash != previous) return $"entry {e.Id}'s previous hash is not the hash of the entry before it";
            var hash = BuildCanonical.EntryHash(detail.Record.BatchNumber, e.PreviousHash, e.Kind, e.Fields, e.Actor, e.Role, e.At, e.Corrects);
            if (hash != e.Hash) return $"entry {e.Id} ({e.Kind} by {e.Actor}) changed since it was signed";
            previous = e.Hash;
        }

        return null;
    }

    /// <summary>The canonical content a seal link hashed, as text (what an auditor hashes to check the seal by hand).</summary>
    public static string CanonicalText(BuildDetail detail, long lastEntryId) =>
        System.Text.Encoding.UTF8.GetString(BuildCanonical.Content(detail, lastEntryId));
}
