using System.Text.Json;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Ingestion;

/// <summary>The members of a state record (SPEC.md §9) that ingestion uses.</summary>
/// <param name="Agent">The agent id the record names.</param>
/// <param name="Online">True for status "online".</param>
/// <param name="At">When the agent made the record.</param>
/// <param name="Health">Its buffer and dropped counters, when the record carries them (they are optional).</param>
public sealed record AgentStateSummary(string Agent, bool Online, Instant At, AgentHealthFigures? Health = null);

/// <summary>
/// The numbers of a state record's <c>buffer</c> and <c>dropped</c> members; a member the record leaves out is null.
/// </summary>
public sealed record AgentHealthFigures(long? UnsentBatches, long? UsedBytes, double? OldestUnsentAgeSeconds, long? ThinnedPoints,
    long? DroppedPoints, long? DroppedBatches);

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
        var numbers = new Dictionary<string, double>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return (null, "not a JSON object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var member = reader.ValueTextEquals("agent"u8) ? 1 : reader.ValueTextEquals("status"u8) ? 2 : reader.ValueTextEquals("at"u8) ? 3
                    : reader.ValueTextEquals("buffer"u8) || reader.ValueTextEquals("dropped"u8) ? 4 : 0;
                reader.Read();
                if (member == 4 && reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadNumbers(ref reader, numbers);
                }
                else if (member is >= 1 and <= 3 && reader.TokenType == JsonTokenType.String)
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
        if (!parsed.Success) return (null, "at is not a timestamp");
        var health = numbers.Count == 0 ? null : new AgentHealthFigures(Whole(numbers, "unsentBatches"), Whole(numbers, "usedBytes"),
            numbers.TryGetValue("oldestUnsentAgeSeconds", out var age) ? age : null, Whole(numbers, "thinnedPoints"),
            Whole(numbers, "droppedPoints"), Whole(numbers, "droppedBatches"));
        return (new AgentStateSummary(agent, status == "online", parsed.Value, health), null);
    }

    // The finite numeric members of one nested object (buffer, dropped); others skipped. Names do not collide between the two.
    private static void ReadNumbers(ref Utf8JsonReader reader, Dictionary<string, double> numbers)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var value) && double.IsFinite(value) && value >= 0)
            {
                numbers[name] = value;
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static long? Whole(Dictionary<string, double> numbers, string name) =>
        numbers.TryGetValue(name, out var value) && value <= long.MaxValue ? (long)value : null;
}
