using System.Text.Json;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteCommands;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteRecordValues;

namespace EquipmentIoT.Cloud.Builds.Sqlite;

public sealed partial class SqliteBuildStore
{
    /// <inheritdoc/>
    public async Task<BuildEntry> AddEntryAsync(NewBuildEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: false);
        var build = await BuildForWriteAsync(c, tx, entry.BuildId, cancellationToken).ConfigureAwait(false);
        if (build.Sealed is not null && entry.Corrects is null)
            throw new BuildException(BuildProblem.Conflict, $"build {build.BatchNumber} is sealed: only a correction of one of its entries is taken");
        var added = await InsertEntryAsync(c, tx, build, entry, cancellationToken).ConfigureAwait(false);
        if (build.Sealed is not null)
        {
            await AppendLinkAsync(c, tx, BuildLedgerKind.Correction, build.Id, added.Id, added.Id, added.Hash, entry.Actor, entry.At, cancellationToken)
                .ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return added;
    }

    /// <inheritdoc/>
    public async Task<BuildPart> AddPartAsync(NewBuildEntry entry, Func<BuildRecord, int, PartIdentity> identify, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(identify);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: false);
        var build = await BuildForWriteAsync(c, tx, entry.BuildId, cancellationToken).ConfigureAwait(false);
        if (build.Sealed is not null) throw new BuildException(BuildProblem.Conflict, $"build {build.BatchNumber} is sealed: no part can be added");
        var count = (long)(await ScalarAsync(c, tx, "SELECT count(*) FROM build_parts WHERE build_id = $id", cancellationToken, ("$id", build.Id))
            .ConfigureAwait(false))!;
        var identity = identify(build, checked((int)count + 1));
        // The part's identity goes into its entry, so that the entry's hash (and the seal) covers the UDI.
        var fields = new Dictionary<string, string>(entry.Fields, StringComparer.Ordinal)
        {
            ["part_number"] = identity.PartNumber,
            ["udi"] = identity.Udi,
        };
        var added = await InsertEntryAsync(c, tx, build, entry with { Fields = fields }, cancellationToken).ConfigureAwait(false);
        var id = (long)(await ScalarAsync(c, tx, $"""
            INSERT INTO build_parts (build_id, part_number, gtin, lot, production_date, serial, udi, udi_element, case_ref, device_name, entry_id)
            VALUES ($build, $number, $gtin, $lot, $date, $serial, $udi, $element, $case, $device, $entry) RETURNING id
            """, cancellationToken, ("$build", build.Id), ("$number", identity.PartNumber), ("$gtin", identity.Gtin), ("$lot", identity.Lot),
            ("$date", LocalDatePattern.Iso.Format(identity.ProductionDate)), ("$serial", identity.Serial), ("$udi", identity.Udi),
            ("$element", identity.UdiElementString), ("$case", fields["case_ref"]), ("$device", fields["device_name"]), ("$entry", added.Id))
            .ConfigureAwait(false))!;
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new BuildPart(id, build.Id, identity.PartNumber, identity.Gtin, identity.Lot, identity.ProductionDate, identity.Serial, identity.Udi,
            identity.UdiElementString, fields["case_ref"], fields["device_name"], added.Id);
    }

    /// <inheritdoc/>
    public async Task<(BuildEntry Decision, BuildLedgerLink Seal)> SealAsync(NewBuildEntry decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var (buildId, actor, at) = (decision.BuildId, decision.Actor, decision.At);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: false);
        var build = await BuildForWriteAsync(c, tx, buildId, cancellationToken).ConfigureAwait(false);
        if (build.Sealed is not null) throw new BuildException(BuildProblem.Conflict, $"build {build.BatchNumber} is already sealed");
        var entry = await InsertEntryAsync(c, tx, build, decision, cancellationToken).ConfigureAwait(false);
        var detail = (await ReadDetailAsync(c, tx, buildId, cancellationToken).ConfigureAwait(false))!;
        var lastEntry = detail.Entries.Count == 0 ? 0 : detail.Entries.Max(e => e.Id);
        var content = BuildCanonical.Sha256(BuildCanonical.Content(detail, lastEntry));
        var link = await AppendLinkAsync(c, tx, BuildLedgerKind.Seal, buildId, null, lastEntry, content, actor, at, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(c, tx, "UPDATE builds SET sealed = $at WHERE id = $id", cancellationToken, ("$at", Text(at)), ("$id", buildId)).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (entry, link);
    }

    private static async Task<BuildRecord> BuildForWriteAsync(SqliteConnection c, SqliteTransaction tx, long id, CancellationToken cancellationToken)
    {
        var found = await QueryBuildsAsync(c, tx, "WHERE id = $id", cmd => Add(cmd, "$id", id), cancellationToken).ConfigureAwait(false);
        return found.Count == 1 ? found[0] : throw new BuildException(BuildProblem.NotFound, $"no build {id}");
    }

    private static async Task<BuildEntry> InsertEntryAsync(SqliteConnection c, SqliteTransaction tx, BuildRecord build, NewBuildEntry entry,
        CancellationToken cancellationToken)
    {
        if (entry.Corrects is { } corrects)
        {
            var original = await ScalarAsync(c, tx, "SELECT kind FROM build_entries WHERE id = $id AND build_id = $build", cancellationToken,
                ("$id", corrects), ("$build", build.Id)).ConfigureAwait(false) as string
                ?? throw new BuildException(BuildProblem.NotFound, $"build {build.BatchNumber} has no entry {corrects} to correct");
            if (original != entry.Kind)
                throw new BuildException(BuildProblem.Invalid, $"entry {corrects} is a {original} entry: its correction must be one too, not {entry.Kind}");
        }

        var previous = await ScalarAsync(c, tx, "SELECT hash FROM build_entries WHERE build_id = $id ORDER BY id DESC LIMIT 1", cancellationToken,
            ("$id", build.Id)).ConfigureAwait(false) as string;
        var hash = BuildCanonical.EntryHash(build.BatchNumber, previous, entry.Kind, entry.Fields, entry.Actor, entry.Role, entry.At, entry.Corrects);
        var fields = JsonSerializer.Serialize(new SortedDictionary<string, string>(entry.Fields.ToDictionary(), StringComparer.Ordinal),
            BuildJsonContext.Default.SortedDictionaryStringString);
        var id = (long)(await ScalarAsync(c, tx, """
            INSERT INTO build_entries (build_id, kind, fields, actor, role, at, corrects, prev_hash, hash)
            VALUES ($build, $kind, $fields, $actor, $role, $at, $corrects, $prev, $hash) RETURNING id
            """, cancellationToken, ("$build", build.Id), ("$kind", entry.Kind), ("$fields", fields), ("$actor", entry.Actor), ("$role", entry.Role),
            ("$at", Text(entry.At)), ("$corrects", entry.Corrects), ("$prev", previous), ("$hash", hash)).ConfigureAwait(false))!;
        return new BuildEntry(id, build.Id, entry.Kind, entry.Fields, entry.Actor, entry.Role, entry.At, entry.Corrects, previous, hash);
    }

    private static async Task<BuildLedgerLink> AppendLinkAsync(SqliteConnection c, SqliteTransaction tx, BuildLedgerKind kind, long buildId, long? entryId,
        long lastEntry, string contentHash, string actor, Instant at, CancellationToken cancellationToken)
    {
        long seq = 1;
        string? previous = null;
        await using (var last = c.CreateCommand())
        {
            last.Transaction = tx;
            last.CommandText = "SELECT seq, hash FROM build_ledger ORDER BY seq DESC LIMIT 1";
            await using var r = await last.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                seq = r.GetInt64(0) + 1;
                previous = r.GetString(1);
            }
        }

        var hash = BuildCanonical.LinkHash(seq, kind, buildId, entryId, lastEntry, contentHash, previous, at, actor);
        await ExecuteAsync(c, tx, """
            INSERT INTO build_ledger (seq, kind, build_id, entry_id, last_entry, content_hash, prev_hash, hash, at, actor)
            VALUES ($seq, $kind, $build, $entry, $last, $content, $prev, $hash, $at, $actor)
            """, cancellationToken, ("$seq", seq), ("$kind", kind.ToString()), ("$build", buildId), ("$entry", entryId), ("$last", lastEntry),
            ("$content", contentHash), ("$prev", previous), ("$hash", hash), ("$at", Text(at)), ("$actor", actor)).ConfigureAwait(false);
        return new BuildLedgerLink(seq, kind, buildId, entryId, lastEntry, contentHash, previous, hash, at, actor);
    }
}
