using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EquipmentIoT.Cloud.Rules.Parsing;

/// <summary>
/// Writes a rule as JSON in the rule-file format (what <see cref="RuleReader"/> reads back): the stored form of rules
/// added through the API, and a rule's fingerprint (a changed definition gets a new one, so that saved state is not
/// carried over to a rule that now means something else).
/// </summary>
public static class RuleWriter
{
    /// <summary>The rule as one JSON object.</summary>
    public static string ToJson(RuleDefinition rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            Write(json, rule);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The first 16 hex digits of the SHA-256 of <see cref="ToJson"/>.</summary>
    public static string Fingerprint(RuleDefinition rule) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson(rule))))[..16];

    private static void Write(Utf8JsonWriter json, RuleDefinition rule)
    {
        json.WriteStartObject();
        json.WriteString("id", rule.Id);
        if (rule.Description is { } d) json.WriteString("description", d);
        json.WriteString("severity", rule.Severity.ToString().ToLowerInvariant());
        if (!rule.Enabled) json.WriteBoolean("enabled", false);
        if (!rule.Scope.IsEverything)
        {
            json.WriteStartObject("scope");
            if (rule.Scope.DeviceClass is { } c) json.WriteString("class", c);
            if (rule.Scope.Device is { } dev) json.WriteString("device", dev);
            if (rule.Scope.Agent is { } a) json.WriteString("agent", a);
            json.WriteEndObject();
        }

        if (rule.RaiseAfter != NodaTime.Duration.Zero) json.WriteString("raiseAfter", DurationText.Format(rule.RaiseAfter));
        if (rule.ClearAfter != NodaTime.Duration.Zero) json.WriteString("clearAfter", DurationText.Format(rule.ClearAfter));
        if (rule.While is { } guard)
        {
            json.WriteStartObject("while");
            json.WriteString("machine", guard.Machine);
            WriteList(json, "in", guard.States);
            json.WriteEndObject();
        }

        json.WriteStartObject(rule.Condition.KindName);
        WriteCondition(json, rule.Condition);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteCondition(Utf8JsonWriter json, RuleCondition condition)
    {
        switch (condition)
        {
            case ThresholdCondition t:
                json.WriteString("metric", t.MetricName);
                json.WriteNumber(t.Direction == ThresholdDirection.Above ? "above" : "below", t.Raise);
                json.WriteNumber("clear", t.Clear);
                break;
            case RateOfChangeCondition r:
                json.WriteString("metric", r.MetricName);
                json.WriteNumber(r.Direction == RateDirection.Falling ? "falling" : "rising", r.Limit);
                json.WriteNumber("clear", r.Clear);
                json.WriteString("per", DurationText.Format(r.Per));
                json.WriteString("window", DurationText.Format(r.Window));
                json.WriteNumber("minSamples", r.MinSamples);
                break;
            case SilenceCondition s:
                json.WriteString("after", DurationText.Format(s.After));
                json.WriteString("of", s.Of.ToString().ToLowerInvariant());
                break;
            case StateCondition s:
                json.WriteString("machine", s.Machine);
                WriteList(json, "in", s.States);
                break;
            case FaultCondition f:
                WriteList(json, "codes", f.Codes);
                break;
            case IntegrityCondition i:
                json.WriteString("check", i.Check == IntegrityCheck.OpenGaps ? "openGaps" : "quarantined");
                json.WriteNumber("count", i.Count);
                if (i.Check == IntegrityCheck.Quarantined) json.WriteString("window", DurationText.Format(i.Window));
                break;
            default:
                throw new ArgumentException($"no writer for {condition.GetType().Name}", nameof(condition));
        }
    }

    private static void WriteList(Utf8JsonWriter json, string name, IReadOnlyList<string> items)
    {
        json.WriteStartArray(name);
        foreach (var item in items) json.WriteStringValue(item);
        json.WriteEndArray();
    }
}
