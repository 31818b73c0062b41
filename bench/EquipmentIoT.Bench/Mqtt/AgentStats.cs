using System.Globalization;

namespace EquipmentIoT.Bench.Mqtt;

/// <summary>
/// The line <c>eqiot-agent mqtt pub --stats</c> prints on stderr:
/// <c>stats: messages=N seconds=S msg_per_s=R alloc_bytes_per_msg=A peak_rss_mb=M</c>.
/// </summary>
internal sealed record AgentStats(long Messages, double Seconds, double MessagesPerSecond, double AllocatedBytesPerMessage, double PeakRssMegabytes)
{
    public static AgentStats? Find(IEnumerable<string> stderrLines)
    {
        var line = stderrLines.LastOrDefault(l => l.StartsWith("stats: ", StringComparison.Ordinal));
        if (line is null) return null;
        var values = line["stats: ".Length..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
        double Number(string key) =>
            values.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;
        return new AgentStats((long)Number("messages"), Number("seconds"), Number("msg_per_s"), Number("alloc_bytes_per_msg"), Number("peak_rss_mb"));
    }
}
