using System.Buffers;
using System.Text;
using System.Text.Json;
using EquipmentIoT.Protocols.Telemetry.Model;

namespace EquipmentIoT.Cloud.Storage;

/// <summary>
/// An event's data as JSON text in the events table (SQLite TEXT, PostgreSQL json): <c>{"state":"scanning","active":true,"severity":2}</c>.
/// JSON's three scalar types carry the three <see cref="EventValueKind"/>s, so a value reads back with its
/// kind; numbers are written in round-trip form ("R"), so they read back to the same double. Member order
/// is kept. Pure.
/// </summary>
internal static class EventDataJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(IReadOnlyDictionary<string, EventValue> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var buffer = new ArrayBufferWriter<byte>(64 + 32 * data.Count);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            foreach (var (name, value) in data)
            {
                switch (value.Kind)
                {
                    case EventValueKind.Text: json.WriteString(name, value.AsString); break;
                    case EventValueKind.Number: json.WriteNumber(name, value.AsNumber); break;
                    default: json.WriteBoolean(name, value.AsBoolean); break;
                }
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <exception cref="InvalidDataException">The stored text is not an object of scalars (the database was edited by hand or damaged).</exception>
    public static Dictionary<string, EventValue> Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var document = ParseDocument(text);
        if (document.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException("stored event data is not a JSON object");
        var data = new Dictionary<string, EventValue>(StringComparer.Ordinal);
        foreach (var member in document.RootElement.EnumerateObject())
        {
            data[member.Name] = member.Value.ValueKind switch
            {
                JsonValueKind.String => EventValue.FromString(member.Value.GetString()!),
                JsonValueKind.Number => EventValue.FromNumber(member.Value.GetDouble()),
                JsonValueKind.True => EventValue.FromBoolean(true),
                JsonValueKind.False => EventValue.FromBoolean(false),
                _ => throw new InvalidDataException($"stored event data member '{member.Name}' is a {member.Value.ValueKind}, not a scalar"),
            };
        }
        return data;
    }

    private static JsonDocument ParseDocument(string text)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("stored event data is not valid JSON: " + ex.Message, ex);
        }
    }
}
