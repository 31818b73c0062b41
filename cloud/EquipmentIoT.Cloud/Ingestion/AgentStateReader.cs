using System.Text.Json;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Ingestion;

/// <summary>The members of a state record (SPEC.md §9) that ingestion uses.</summary>
/// <param name="Agent">The agent id the record names.</param>
/// <param name="Online">True for status "online".</param>
/// <param name="At">When the agent made the record.</param>
public sealed record AgentStateSummary(string Agent, bool Online, Instant At);

/// <summary>
/// Reads the required members of a state record tolerantly, as SPEC.md §9 asks of readers (unknown
/// members ignored): <c>agent</c>, <c>status</c>, <c>at</c>. The Telemetry library only writes state records.
/// </summary>
internal static class AgentStateReader
{
    private const int MaxBytes = 64 * 1024;

    /// <summary>The summary, or the reason the record cannot be used.</summary>
    public static (AgentStateSummary? State, string? Error) Read(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxBytes) return (null, $"{json.Length} bytes, more than {MaxBytes}");
        if (!System.Text.Unicode.Utf8.IsValid(json)) return (null, "not valid UTF-8");
        string? agent = null, status = null, at = null;
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return (null, "not a JSON object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var member = reader.ValueTextEquals("agent"u8) ? 1 : reader.ValueTextEquals("status"u8) ? 2 : reader.ValueTextEquals("at"u8) ? 3 : 0;
                reader.Read();
                if (member != 0 && reader.TokenType == JsonTokenType.String)
                {
                    var text = reader.GetString();
                    if (member == 1) agent = text;
                    else if (member == 2) status = text;
                    else at = text;
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException ex)
        {
            return (null, "malformed JSON: " + ex.Message);
        }
        if (agent is null || status is null || at is null) return (null, "agent, status and at are required");
        if (status is not ("online" or "offline")) return (null, "status must be online or offline");
        var parsed = InstantPattern.ExtendedIso.Parse(at);
        return parsed.Success ? (new AgentStateSummary(agent, status == "online", parsed.Value), null) : (null, "at is not a timestamp");
    }
}
