using System.Text.Json;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>One database file in a backup.</summary>
/// <param name="Name">Its file name in the data directory (and the zip entry's name).</param>
/// <param name="Schema">Schema version per migration component ("ledger" → 1, …).</param>
public sealed record BackupFile(string Name, long Bytes, string Sha256, IReadOnlyDictionary<string, long> Schema);

/// <summary>
/// <c>manifest.json</c> of a backup: what it holds and how to check it.
/// <code>
/// {"format":"eqiot-backup-v1","created":"2026-11-22T10:00:00Z","batches":1234,
///  "files":[{"name":"records.db","bytes":4096,"sha256":"…64 hex…","schema":{"ledger":1,"registry":1}}, …]}
/// </code>
/// </summary>
/// <param name="Batches">Accepted telemetry batches in the backup's ledger.</param>
public sealed partial record BackupManifest(string Format, Instant Created, long Batches, IReadOnlyList<BackupFile> Files)
{
    public const string EntryName = "manifest.json";
    public const string CurrentFormat = "eqiot-backup-v1";

    /// <summary>Writes the manifest's JSON.</summary>
    public byte[] ToUtf8()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteString("created", InstantPattern.ExtendedIso.Format(Created));
            json.WriteNumber("batches", Batches);
            json.WriteStartArray("files");
            foreach (var file in Files)
            {
                json.WriteStartObject();
                json.WriteString("name", file.Name);
                json.WriteNumber("bytes", file.Bytes);
                json.WriteString("sha256", file.Sha256);
                json.WriteStartObject("schema");
                foreach (var (component, version) in file.Schema) json.WriteNumber(component, version);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Reads a manifest strictly; a file that is not one is refused with the reason.</summary>
    /// <exception cref="BackupException">Not a manifest of this format (reason <see cref="BackupRefusal.Malformed"/>).</exception>
    public static BackupManifest Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var format = root.GetProperty("format").GetString();
            if (format != CurrentFormat) throw Malformed($"format is \"{format}\", this build reads \"{CurrentFormat}\"");
            var created = InstantPattern.ExtendedIso.Parse(root.GetProperty("created").GetString() ?? "");
            if (!created.Success) throw Malformed("created is not an ISO instant");
            var files = new List<BackupFile>();
            foreach (var f in root.GetProperty("files").EnumerateArray())
            {
                var name = f.GetProperty("name").GetString() ?? "";
                if (!FileNamePattern().IsMatch(name)) throw Malformed($"file name \"{name}\" is not a plain *.db name");
                var sha = f.GetProperty("sha256").GetString() ?? "";
                if (!Sha256Pattern().IsMatch(sha)) throw Malformed($"{name}: sha256 is not 64 lower-case hex digits");
                var schema = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var component in f.GetProperty("schema").EnumerateObject()) schema[component.Name] = component.Value.GetInt64();
                files.Add(new BackupFile(name, f.GetProperty("bytes").GetInt64(), sha, schema));
            }
            if (files.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count() != files.Count) throw Malformed("a file is listed twice");
            return new BackupManifest(format, created.Value, root.GetProperty("batches").GetInt64(), files);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Malformed(ex.Message);
        }
    }

    private static BackupException Malformed(string why) => new(BackupRefusal.Malformed, "the backup's manifest.json is not valid: " + why);

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,100}\\.db$")]
    private static partial Regex FileNamePattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();
}

/// <summary>Why a backup or restore did not happen.</summary>
public enum BackupRefusal
{
    /// <summary>The data directory is in use (an instance runs there) or being restored.</summary>
    Locked,

    /// <summary>The target directory holds files and the restore was not forced.</summary>
    NotEmpty,

    /// <summary>A file's bytes do not match the manifest (altered or damaged).</summary>
    Tampered,

    /// <summary>Not a backup of this format: no or a bad manifest, entries missing or extra.</summary>
    Malformed,

    /// <summary>The data directory holds no database to back up.</summary>
    NothingToBackUp,
}

/// <summary>A backup or restore refused, with the reason in <see cref="Refusal"/> and the details in the message.</summary>
public sealed class BackupException : Exception
{
    public BackupException(BackupRefusal refusal, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Refusal = refusal;
    }

    public BackupException()
    {
    }

    public BackupException(string message)
        : base(message)
    {
    }

    public BackupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BackupRefusal Refusal { get; }
}
