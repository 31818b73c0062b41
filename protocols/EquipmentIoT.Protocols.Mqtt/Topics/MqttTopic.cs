using System.Text;

namespace EquipmentIoT.Protocols.Mqtt.Topics;

/// <summary>
/// Topic names and filters, MQTT 3.1.1 section 4.7, plus shared subscriptions
/// (<c>$share/{group}/{filter}</c>, as served by mosquitto, EMQX, HiveMQ and MQTT 5 brokers).
/// </summary>
public static class MqttTopic
{
    /// <summary>Prefix of a shared subscription filter.</summary>
    public const string SharePrefix = "$share/";

    /// <summary>Largest encoded length of a topic name or filter (a two-byte length prefix).</summary>
    public const int MaxLength = 65_535;

    /// <summary>Checks a topic name for PUBLISH: no wildcards, 1..65535 UTF-8 bytes, no U+0000.</summary>
    /// <returns>Null when valid; otherwise why not.</returns>
    public static string? ValidateName(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (topic.Length == 0) return "a topic name must be at least one character long (4.7.3)";
        if (topic.AsSpan().IndexOfAny('+', '#', '\0') is var i and >= 0)
            return topic[i] == '\0'
                ? "a topic name must not contain U+0000 (1.5.3)"
                : $"a topic name must not contain the wildcard '{topic[i]}' (4.7.1)";
        return CheckEncodedLength(topic);
    }

    /// <summary>Checks a topic filter for SUBSCRIBE/UNSUBSCRIBE, including <c>$share/group/filter</c>.</summary>
    /// <returns>Null when valid; otherwise why not.</returns>
    public static string? ValidateFilter(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Length == 0) return "a topic filter must be at least one character long (4.7.3)";
        if (filter.Contains('\0', StringComparison.Ordinal)) return "a topic filter must not contain U+0000 (1.5.3)";
        if (CheckEncodedLength(filter) is { } tooLong) return tooLong;
        var inner = filter;
        if (filter.StartsWith(SharePrefix, StringComparison.Ordinal))
        {
            var rest = filter.AsSpan(SharePrefix.Length);
            var slash = rest.IndexOf('/');
            if (slash <= 0) return "a shared subscription needs a group name and a filter: $share/{group}/{filter}";
            var group = rest[..slash];
            if (group.IndexOfAny('+', '#') >= 0) return "a shared subscription group name must not contain '+' or '#'";
            inner = filter[(SharePrefix.Length + slash + 1)..];
            if (inner.Length == 0) return "a shared subscription needs a filter after the group name";
        }
        return ValidateWildcards(inner);
    }

    /// <summary>Splits a shared subscription filter into its group and the filter proper.</summary>
    public static bool TryParseShared(string filter, out string group, out string innerFilter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        group = innerFilter = "";
        if (!filter.StartsWith(SharePrefix, StringComparison.Ordinal)) return false;
        var slash = filter.IndexOf('/', SharePrefix.Length);
        if (slash <= SharePrefix.Length || slash == filter.Length - 1) return false;
        group = filter[SharePrefix.Length..slash];
        innerFilter = filter[(slash + 1)..];
        return true;
    }

    /// <summary>
    /// True when <paramref name="topic"/> matches <paramref name="filter"/> (4.7.1, 4.7.2): '+' one level,
    /// '#' this level and all below, and topics starting with '$' are not matched by a leading wildcard.
    /// A shared subscription matches as its inner filter.
    /// </summary>
    public static bool Matches(string filter, string topic)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(topic);
        if (TryParseShared(filter, out _, out var inner)) filter = inner;
        if (topic.StartsWith('$') && (filter.StartsWith('+') || filter.StartsWith('#'))) return false;

        var f = filter.AsSpan();
        var t = topic.AsSpan();
        while (true)
        {
            var fEnd = f.IndexOf('/');
            var fLevel = fEnd < 0 ? f : f[..fEnd];
            if (fLevel is "#") return true;
            var tEnd = t.IndexOf('/');
            var tLevel = tEnd < 0 ? t : t[..tEnd];
            if (!(fLevel is "+" || fLevel.SequenceEqual(tLevel))) return false;
            if (fEnd < 0 && tEnd < 0) return true;
            if (tEnd < 0)
            {
                // "sport/#" also matches "sport": the '#' stands for the parent level too (4.7.1.2).
                return f[(fEnd + 1)..] is "#";
            }
            if (fEnd < 0) return false;
            f = f[(fEnd + 1)..];
            t = t[(tEnd + 1)..];
        }
    }

    private static string? ValidateWildcards(string filter)
    {
        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (level.Contains('#', StringComparison.Ordinal) && (level != "#" || i != levels.Length - 1))
                return "'#' must be the whole last level of a topic filter (4.7.1.2)";
            if (level.Contains('+', StringComparison.Ordinal) && level != "+")
                return "'+' must occupy a whole level of a topic filter (4.7.1.3)";
        }
        return null;
    }

    private static string? CheckEncodedLength(string s) =>
        s.Length > MaxLength / 3 && Encoding.UTF8.GetByteCount(s) > MaxLength
            ? $"longer than {MaxLength} UTF-8 bytes (1.5.3)"
            : null;
}
