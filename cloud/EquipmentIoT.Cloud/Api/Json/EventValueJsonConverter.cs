using System.Text.Json;
using System.Text.Json.Serialization;
using EquipmentIoT.Protocols.Telemetry.Model;

namespace EquipmentIoT.Cloud.Api.Json;

/// <summary>An event attribute as the JSON scalar it was on the wire (string, number or boolean).</summary>
internal sealed class EventValueJsonConverter : JsonConverter<EventValue>
{
    public override EventValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => EventValue.FromString(reader.GetString()!),
        JsonTokenType.Number => EventValue.FromNumber(reader.GetDouble()),
        JsonTokenType.True => EventValue.FromBoolean(true),
        JsonTokenType.False => EventValue.FromBoolean(false),
        _ => throw new JsonException("an event value is a string, a number or a boolean"),
    };

    public override void Write(Utf8JsonWriter writer, EventValue value, JsonSerializerOptions options)
    {
        switch (value.Kind)
        {
            case EventValueKind.Text: writer.WriteStringValue(value.AsString); break;
            case EventValueKind.Number: writer.WriteNumberValue(value.AsNumber); break;
            default: writer.WriteBooleanValue(value.AsBoolean); break;
        }
    }
}
