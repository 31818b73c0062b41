using System.Buffers;
using EquipmentIoT.Protocols.Telemetry.Json;

namespace EquipmentIoT.Protocols.Telemetry.Topics;

/// <summary>
/// The MQTT topic names of envelope v1 (SPEC.md §topics). Every topic starts <c>eq/v1/{agentId}/</c>
/// so that a broker ACL can give each agent exactly its own subtree (e.g. mosquitto's
/// <c>pattern readwrite eq/v1/%u/#</c> when the agent id is the user name).
/// </summary>
public static class TelemetryTopics
{
    /// <summary>The first two levels of every topic.</summary>
    public const string Prefix = "eq/v1/";

    /// <summary>The filter that matches every agent's telemetry (for the cloud; wrap it in <see cref="Shared"/> to split the load).</summary>
    public const string AllTelemetry = "eq/v1/+/telemetry";

    /// <summary>The filter that matches every agent's state record.</summary>
    public const string AllState = "eq/v1/+/state";

    /// <summary>The filter that matches every agent's command replies.</summary>
    public const string AllReplies = "eq/v1/+/reply/+";

    private static readonly SearchValues<char> CommandChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    /// <summary><c>eq/v1/{agentId}/telemetry</c>: signed batches, QoS 1.</summary>
    public static string Telemetry(string agentId) => Prefix + RequireAgentId(agentId) + "/telemetry";

    /// <summary><c>eq/v1/{agentId}/state</c>: the retained state record and the last will.</summary>
    public static string State(string agentId) => Prefix + RequireAgentId(agentId) + "/state";

    /// <summary><c>eq/v1/{agentId}/cmd/{command}</c>: a command to the agent.</summary>
    public static string Command(string agentId, string command) => Prefix + RequireAgentId(agentId) + "/cmd/" + RequireCommand(command);

    /// <summary><c>eq/v1/{agentId}/cmd/#</c>: what the agent subscribes to.</summary>
    public static string CommandFilter(string agentId) => Prefix + RequireAgentId(agentId) + "/cmd/#";

    /// <summary><c>eq/v1/{agentId}/reply/{command}</c>: the agent's reply to a command.</summary>
    public static string Reply(string agentId, string command) => Prefix + RequireAgentId(agentId) + "/reply/" + RequireCommand(command);

    /// <summary><c>$share/{group}/{filter}</c>: a shared subscription, so that several cloud instances split the messages.</summary>
    public static string Shared(string group, string filter)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrEmpty(filter);
        if (group.AsSpan().IndexOfAny("/+#") >= 0) throw new ArgumentException("a share group name must not contain '/', '+' or '#'", nameof(group));
        return "$share/" + group + "/" + filter;
    }

    /// <summary>Null when <paramref name="agentId"/> is a valid agent id (1-64 of <c>[A-Za-z0-9._-]</c>); otherwise why not.</summary>
    public static string? ValidateAgentId(string? agentId) =>
        agentId is not null && TelemetryRules.IsAgentId(agentId) ? null : $"an agent id must be {TelemetryRules.AgentIdRule}";

    /// <summary>Null when <paramref name="command"/> is a valid command name (1-32 of <c>[a-z0-9-]</c>, starting with a letter); otherwise why not.</summary>
    public static string? ValidateCommand(string? command) =>
        command is { Length: > 0 and <= 32 } && char.IsAsciiLetterLower(command[0]) && !command.AsSpan().ContainsAnyExcept(CommandChars)
            ? null
            : "a command name must be 1 to 32 characters from [a-z0-9-], starting with a letter";

    /// <summary>Takes a topic name apart; false for anything that is not exactly one of the four forms.</summary>
    public static bool TryParse(string? topic, out TelemetryTopic parsed)
    {
        parsed = default;
        if (topic is null || !topic.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var rest = topic.AsSpan(Prefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0) return false;
        var agent = rest[..slash];
        if (!TelemetryRules.IsAgentId(agent)) return false;
        var tail = rest[(slash + 1)..];
        if (tail.SequenceEqual("telemetry"))
        {
            parsed = new TelemetryTopic(agent.ToString(), TelemetryTopicKind.Telemetry, null);
            return true;
        }
        if (tail.SequenceEqual("state"))
        {
            parsed = new TelemetryTopic(agent.ToString(), TelemetryTopicKind.State, null);
            return true;
        }
        TelemetryTopicKind kind;
        if (tail.StartsWith("cmd/", StringComparison.Ordinal)) kind = TelemetryTopicKind.Command;
        else if (tail.StartsWith("reply/", StringComparison.Ordinal)) kind = TelemetryTopicKind.Reply;
        else return false;
        var command = tail[(tail.IndexOf('/') + 1)..].ToString();
        if (ValidateCommand(command) is not null) return false;
        parsed = new TelemetryTopic(agent.ToString(), kind, command);
        return true;
    }

    private static string RequireAgentId(string agentId) =>
        ValidateAgentId(agentId) is { } error ? throw new ArgumentException(error, nameof(agentId)) : agentId;

    private static string RequireCommand(string command) =>
        ValidateCommand(command) is { } error ? throw new ArgumentException(error, nameof(command)) : command;
}
