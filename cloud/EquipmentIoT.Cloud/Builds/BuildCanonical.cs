using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Builds;

/// <summary>
/// The canonical bytes that are hashed: compact UTF-8 JSON written in a fixed member order (arrays in id/layer/name
/// order, fields sorted by ordinal name, non-ASCII escaped, instants in ISO-8601 UTC with nanoseconds, numbers in
/// shortest round-trip form). The same stored rows always give the same bytes, so a changed row changes the hash.
/// </summary>
public static class BuildCanonical
{
    private static readonly InstantPattern InstantText = InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffff'Z'");

    /// <summary>The hash of an operator entry, chained to the build's previous entry.</summary>
    public static string EntryHash(string batchNumber, string? previousHash, string kind, IReadOnlyDictionary<string, string> fields, string actor,
        string role, Instant at, long? corrects) => Hash(w =>
    {
        w.WriteString("batch", batchNumber);
        w.WriteString("prev", previousHash);
        w.WriteString("kind", kind);
        WriteFields(w, fields);
        w.WriteString("actor", actor);
        w.WriteString("role", role);
        w.WriteString("at", InstantText.Format(at));
        if (corrects is { } c) w.WriteNumber("corrects", c);
        else w.WriteNull("corrects");
    });

    /// <summary>The canonical content of a build record with the entries and parts up to <paramref name="lastEntryId"/>.</summary>
    public static byte[] Content(BuildDetail detail, long lastEntryId)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return Write(w =>
        {
            var r = detail.Record;
            w.WriteNumber("id", r.Id);
            w.WriteString("batchNumber", r.BatchNumber);
            w.WriteString("device", r.Device);
            w.WriteString("agent", r.Agent);
            WriteNumber(w, "jobId", r.JobId);
            WriteNumber(w, "layersPlanned", r.LayersPlanned);
            w.WriteNumber("layersStarted", r.LayersStarted);
            w.WriteString("status", r.Status.ToString());
            w.WriteString("started", InstantText.Format(r.Started));
            w.WriteString("ended", r.Ended is { } ended ? InstantText.Format(ended) : null);
            w.WriteNumber("pauses", r.Pauses);
            w.WriteNumber("faults", r.Faults);
            w.WriteNumber("recoaterPasses", r.RecoaterPasses);
            w.WriteNumber("excursionLayers", r.ExcursionLayers);
            w.WriteStartArray("layers");
            foreach (var layer in detail.Layers.OrderBy(l => l.Layer))
            {
                w.WriteStartObject();
                w.WriteNumber("layer", layer.Layer);
                w.WriteString("started", InstantText.Format(layer.Started));
                w.WriteString("ended", layer.Ended is { } e ? InstantText.Format(e) : null);
                w.WriteStartArray("signals");
                foreach (var s in layer.Signals.OrderBy(s => s.Signal, StringComparer.Ordinal))
                {
                    w.WriteStartObject();
                    w.WriteString("signal", s.Signal);
                    w.WriteString("unit", s.Unit);
                    w.WriteNumber("count", s.Count);
                    w.WriteNumber("min", s.Min);
                    w.WriteNumber("max", s.Max);
                    w.WriteNumber("mean", s.Mean);
                    w.WriteNumber("outside", s.Outside);
                    WriteNumber(w, "windowMin", s.WindowMin);
                    WriteNumber(w, "windowMax", s.WindowMax);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("timeline");
            foreach (var t in detail.Timeline.OrderBy(t => t.EventId))
            {
                w.WriteStartObject();
                w.WriteNumber("event", t.EventId);
                w.WriteString("at", InstantText.Format(t.At));
                w.WriteString("kind", t.Kind);
                w.WriteString("detail", t.Detail);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("entries");
            foreach (var entry in detail.Entries.Where(e => e.Id <= lastEntryId).OrderBy(e => e.Id))
            {
                w.WriteStartObject();
                w.WriteNumber("id", entry.Id);
                w.WriteString("hash", entry.Hash);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("parts");
            foreach (var p in detail.Parts.Where(p => p.EntryId <= lastEntryId).OrderBy(p => p.Id))
            {
                w.WriteStartObject();
                w.WriteString("partNumber", p.PartNumber);
                w.WriteString("udi", p.Udi);
                w.WriteString("caseRef", p.CaseRef);
                w.WriteString("deviceName", p.DeviceName);
                w.WriteNumber("entry", p.EntryId);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    /// <summary>The hash of a ledger link: its position, what it holds and the previous link's hash.</summary>
    public static string LinkHash(long seq, BuildLedgerKind kind, long buildId, long? entryId, long lastEntryId, string contentHash, string? previousHash,
        Instant at, string actor) => Hash(w =>
    {
        w.WriteNumber("seq", seq);
        w.WriteString("kind", kind.ToString());
        w.WriteNumber("build", buildId);
        WriteNumber(w, "entry", entryId);
        w.WriteNumber("lastEntry", lastEntryId);
        w.WriteString("content", contentHash);
        w.WriteString("prev", previousHash);
        w.WriteString("at", InstantText.Format(at));
        w.WriteString("actor", actor);
    });

    /// <summary>Lower-case hex SHA-256 of <paramref name="bytes"/>.</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string Hash(Action<Utf8JsonWriter> members) => Sha256(Write(members));

    private static byte[] Write(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            members(w);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteFields(Utf8JsonWriter w, IReadOnlyDictionary<string, string> fields)
    {
        w.WriteStartObject("fields");
        foreach (var (key, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal)) w.WriteString(key, value);
        w.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }
}
