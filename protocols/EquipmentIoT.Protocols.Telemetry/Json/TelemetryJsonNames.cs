using System.Text.Encodings.Web;
using System.Text.Json;

namespace EquipmentIoT.Protocols.Telemetry.Json;

/// <summary>Member names of the batch (SPEC.md §batch), encoded once, and the writer settings shared by every writer of this library.</summary>
internal static class TelemetryJsonNames
{
    public static readonly JsonEncodedText V = JsonEncodedText.Encode("v");
    public static readonly JsonEncodedText Agent = JsonEncodedText.Encode("agent");
    public static readonly JsonEncodedText Stream = JsonEncodedText.Encode("stream");
    public static readonly JsonEncodedText Seq = JsonEncodedText.Encode("seq");
    public static readonly JsonEncodedText Prev = JsonEncodedText.Encode("prev");
    public static readonly JsonEncodedText Created = JsonEncodedText.Encode("created");
    public static readonly JsonEncodedText Metrics = JsonEncodedText.Encode("metrics");
    public static readonly JsonEncodedText Events = JsonEncodedText.Encode("events");
    public static readonly JsonEncodedText Device = JsonEncodedText.Encode("device");
    public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    public static readonly JsonEncodedText Unit = JsonEncodedText.Encode("unit");
    public static readonly JsonEncodedText Ts = JsonEncodedText.Encode("ts");
    public static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
    public static readonly JsonEncodedText Quality = JsonEncodedText.Encode("quality");
    public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    public static readonly JsonEncodedText Data = JsonEncodedText.Encode("data");

    /// <summary>
    /// Compact output; non-ASCII text and HTML-sensitive characters stay as they are (the payload is
    /// signed bytes, never embedded in HTML), only what RFC 8259 §7 requires is escaped.
    /// Structure checks are skipped because the writers emit fixed shapes.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    /// <summary>Reader settings: strict RFC 8259 (no comments, no trailing commas) and a shallow depth.</summary>
    public static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 8,
    };
}
