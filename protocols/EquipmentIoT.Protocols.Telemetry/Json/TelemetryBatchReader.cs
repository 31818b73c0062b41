using System.Globalization;
using System.Text.Json;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Protocols.Telemetry.Json;

/// <summary>
/// Reads the JSON payload of SPEC.md §batch strictly: RFC 8259 JSON in UTF-8 without a byte order
/// mark, one object, every member of the spec and no other, no duplicate members, every field checked
/// against SPEC.md §limits. Never throws for bad input: the result names the JSON path and the rule
/// broken, e.g. <c>metrics[3].ts: not an RFC 3339 UTC timestamp …</c>. Thread-safe.
/// </summary>
public static partial class TelemetryBatchReader
{
    /// <summary>Reads one batch from <paramref name="utf8Json"/> with <paramref name="options"/> (or the defaults).</summary>
    public static TelemetryResult<TelemetryBatch> Read(ReadOnlySpan<byte> utf8Json, TelemetryReaderOptions? options = null)
    {
        options ??= TelemetryReaderOptions.Default;
        if (utf8Json.Length > options.MaxPayloadBytes)
            return Fail(string.Create(CultureInfo.InvariantCulture, $"payload: {utf8Json.Length} bytes, more than the limit of {options.MaxPayloadBytes}"));
        if (utf8Json.StartsWith("\xEF\xBB\xBF"u8)) return Fail("payload: starts with a byte order mark (RFC 8259 §8.1)");
        // RFC 8259 §8.1: UTF-8. Checked once over the whole payload, so no string read later can hold invalid bytes.
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json)) return Fail("payload: not valid UTF-8 (RFC 8259 §8.1)");

        var parser = new Parser(options);
        var reader = new Utf8JsonReader(utf8Json, TelemetryJsonNames.ReaderOptions);
        try
        {
            var error = parser.ReadBatch(ref reader, out var batch);
            return error is null ? TelemetryResult<TelemetryBatch>.Ok(batch!) : Fail(error);
        }
        catch (JsonException ex)
        {
            // Utf8JsonReader reports syntax errors only by exception; the position is in the message.
            return Fail(string.Create(CultureInfo.InvariantCulture,
                $"{parser.Path}: malformed JSON at byte {reader.TokenStartIndex} ({FirstSentence(ex.Message)})"));
        }
    }

    private static TelemetryResult<TelemetryBatch> Fail(string error) => TelemetryResult<TelemetryBatch>.Fail(error);

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" LineNumber", StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).TrimEnd(' ', '.');
    }

    [Flags]
    private enum Seen
    {
        None = 0,
        V = 1, Agent = 2, Stream = 4, Seq = 8, Prev = 16, Created = 32, Metrics = 64, Events = 128,
        Device = 256, Name = 512, Unit = 1024, Ts = 2048, Value = 4096, Quality = 8192, Type = 16384, Data = 32768,
    }

    /// <summary>One read: the caches, and where in the document it is (for error paths).</summary>
    private sealed partial class Parser(TelemetryReaderOptions options)
    {
        private readonly Utf8StringCache _devices = new();
        private readonly Utf8StringCache _names = new();
        private readonly Utf8StringCache _units = new();
        private readonly Utf8StringCache _types = new();
        private string? _array;
        private int _index;
        private string? _member;

        /// <summary>The path of what is being read, for a syntax error.</summary>
        public string Path => _array is null ? _member ?? "payload"
            : _member is null ? string.Create(CultureInfo.InvariantCulture, $"{_array}[{_index}]")
            : string.Create(CultureInfo.InvariantCulture, $"{_array}[{_index}].{_member}");

        public string? ReadBatch(ref Utf8JsonReader reader, out TelemetryBatch? batch)
        {
            batch = null;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return "payload: must be a JSON object";
            var seen = Seen.None;
            string? agent = null, stream = null, prev = null;
            long seq = 0;
            var created = default(Instant);
            List<MetricPoint>? metrics = null;
            List<TelemetryEvent>? events = null;

            while (true)
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.EndObject) break;
                var member = TopMember(ref reader);
                if (member == Seen.None) return $"payload: unknown member '{MemberName(in reader)}' (envelope v1 allows no others)";
                if ((seen & member) != 0) return $"payload: duplicate member '{MemberName(in reader)}'";
                seen |= member;
                _member = MemberName(member);
                reader.Read();
                var error = member switch
                {
                    Seen.V => ReadVersion(ref reader),
                    Seen.Agent => ReadAgent(ref reader, out agent),
                    Seen.Stream => ReadStream(ref reader, out stream),
                    Seen.Seq => ReadSeq(ref reader, out seq),
                    Seen.Prev => ReadPrev(ref reader, out prev),
                    Seen.Created => ReadTimestamp(ref reader, "created", out created),
                    Seen.Metrics => ReadMetrics(ref reader, out metrics),
                    _ => ReadEvents(ref reader, out events),
                };
                if (error is not null) return error;
                _member = null;
            }

            // RFC 8259 §2: one value; Read throws on anything but whitespace after it.
            if (reader.Read()) return "payload: content after the batch object";

            foreach (var (flag, name) in Required)
            {
                if ((seen & flag) == 0) return $"{name}: required member missing";
            }
            if (seq == 1 && prev is not null) return "prev: must be null when seq is 1";
            if (seq > 1 && prev is null) return "prev: must be the hash of batch seq-1 when seq > 1, not null";
            batch = new TelemetryBatch(agent!, stream!, seq, prev, created, metrics!, events!);
            return null;
        }

        private static readonly (Seen Flag, string Name)[] Required =
        [
            (Seen.V, "v"), (Seen.Agent, "agent"), (Seen.Stream, "stream"), (Seen.Seq, "seq"), (Seen.Prev, "prev"),
            (Seen.Created, "created"), (Seen.Metrics, "metrics"), (Seen.Events, "events"),
        ];

        private static Seen TopMember(ref Utf8JsonReader r) =>
            JsonText.EqualsUtf8(in r, "v"u8) ? Seen.V
            : JsonText.EqualsUtf8(in r, "agent"u8) ? Seen.Agent
            : JsonText.EqualsUtf8(in r, "stream"u8) ? Seen.Stream
            : JsonText.EqualsUtf8(in r, "seq"u8) ? Seen.Seq
            : JsonText.EqualsUtf8(in r, "prev"u8) ? Seen.Prev
            : JsonText.EqualsUtf8(in r, "created"u8) ? Seen.Created
            : JsonText.EqualsUtf8(in r, "metrics"u8) ? Seen.Metrics
            : JsonText.EqualsUtf8(in r, "events"u8) ? Seen.Events
            : Seen.None;

        private static string MemberName(Seen member) => member switch
        {
            Seen.V => "v", Seen.Agent => "agent", Seen.Stream => "stream", Seen.Seq => "seq", Seen.Prev => "prev",
            Seen.Created => "created", Seen.Metrics => "metrics", Seen.Events => "events", Seen.Device => "device",
            Seen.Name => "name", Seen.Unit => "unit", Seen.Ts => "ts", Seen.Value => "value", Seen.Quality => "quality",
            Seen.Type => "type", _ => "data",
        };

        private static string? ReadVersion(ref Utf8JsonReader r)
        {
            if (r.TokenType != JsonTokenType.Number || !r.TryGetInt32(out var v)) return "v: must be the integer 1";
            return v == TelemetryBatch.Version ? null : string.Create(CultureInfo.InvariantCulture, $"v: unsupported envelope version {v} (this reader reads 1)");
        }

        private string? ReadAgent(ref Utf8JsonReader r, out string? agent)
        {
            agent = null;
            Span<byte> scratch = stackalloc byte[ScratchLength];
            int n;
            if ((n = CopyShort(in r, scratch)) < 0 || !TelemetryRules.IsAgentId(scratch[..n])) return $"agent: must be a string of {TelemetryRules.AgentIdRule}";
            agent = _devices.Get(scratch[..n]);
            return null;
        }

        private static string? ReadStream(ref Utf8JsonReader r, out string? stream)
        {
            stream = null;
            if (r.TokenType != JsonTokenType.String) return "stream: must be \"metrics\" or \"events\"";
            if (JsonText.EqualsUtf8(in r, "metrics"u8)) stream = TelemetryStreams.Metrics;
            else if (JsonText.EqualsUtf8(in r, "events"u8)) stream = TelemetryStreams.Events;
            else return "stream: must be \"metrics\" or \"events\"";
            return null;
        }

        private static string? ReadSeq(ref Utf8JsonReader r, out long seq)
        {
            seq = 0;
            if (r.TokenType != JsonTokenType.Number || !r.TryGetInt64(out seq) || seq is < 1 or > TelemetryLimits.MaxSeq)
                return "seq: must be an integer from 1 to 2^53-1";
            return null;
        }

        private static string? ReadPrev(ref Utf8JsonReader r, out string? prev)
        {
            prev = null;
            if (r.TokenType == JsonTokenType.Null) return null;
            Span<byte> scratch = stackalloc byte[ScratchLength];
            int n;
            if ((n = CopyShort(in r, scratch)) < 0 || !IsHashText(scratch[..n])) return $"prev: must be null or {TelemetryRules.HashRule}";
            prev = System.Text.Encoding.ASCII.GetString(scratch[..n]);
            return null;
        }

        private string? ReadTimestamp(ref Utf8JsonReader r, string path, out Instant instant)
        {
            instant = default;
            Span<byte> scratch = stackalloc byte[ScratchLength];
            int n;
            if ((n = CopyShort(in r, scratch)) < 0 || !Rfc3339.TryParse(scratch[..n], out instant)) return At(path, Rfc3339.Rule);
            return null;
        }

        private string At(string member, string problem) => _array is null
            ? $"{member}: {problem}"
            : string.Create(CultureInfo.InvariantCulture, $"{_array}[{_index}].{member}: {problem}");

        private static bool IsHashText(ReadOnlySpan<byte> s) =>
            s.Length == TelemetryLimits.HashTextLength && !s.ContainsAnyExcept(TelemetryRules.Base64Url8)
            && (TelemetryRules.Base64UrlValue(s[^1]) & 0b11) == 0;

        // Every short field (ids, units, types, timestamps, hashes) is at most 64 bytes; an escaped
        // form may take 6 bytes per character. Longer raw text is refused before it is unescaped.
        private const int ScratchLength = 6 * TelemetryLimits.MaxIdLength;

        /// <summary>
        /// Copies a string token's bytes (unescaped) into <paramref name="scratch"/>; returns how many,
        /// or -1 when the token is not a string, is too long or holds an escaped lone surrogate.
        /// </summary>
        private static int CopyShort(in Utf8JsonReader r, Span<byte> scratch)
        {
            if (r.TokenType != JsonTokenType.String) return -1;
            var raw = r.ValueSpan;
            if (raw.Length > scratch.Length) return -1;
            if (!r.ValueIsEscaped)
            {
                raw.CopyTo(scratch);
                return raw.Length;
            }
            return JsonText.TryCopy(in r, scratch, out var written) ? written : -1;
        }

        /// <summary>A member name for a message: unescaped when possible, cut to 40 characters.</summary>
        private static string MemberName(in Utf8JsonReader r)
        {
            Span<byte> scratch = stackalloc byte[ScratchLength];
            scoped ReadOnlySpan<byte> raw = r.ValueSpan;
            if (r.ValueIsEscaped && raw.Length <= scratch.Length && JsonText.TryCopy(in r, scratch, out var n)) raw = scratch[..n];
            var text = System.Text.Encoding.UTF8.GetString(raw[..Math.Min(raw.Length, 40)]);
            return raw.Length > 40 ? text + "…" : text;
        }
    }
}
