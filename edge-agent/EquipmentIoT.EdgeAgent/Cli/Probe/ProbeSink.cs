using System.Globalization;
using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.Protocols.Telemetry.Model;

namespace EquipmentIoT.EdgeAgent.Cli.Probe;

/// <summary>Collects what an interpreter makes of one input, as printable lines ("metric tube_heat = 12.5 %").</summary>
internal sealed class ProbeSink : ITelemetrySink
{
    private readonly List<string> _lines = [];

    public void AddMetric(in MetricPoint point) =>
        _lines.Add($"metric {point.Name} = {point.Value.ToString(CultureInfo.InvariantCulture)}{(string.IsNullOrEmpty(point.Unit) ? "" : " " + point.Unit)}");

    public void AddEvent(TelemetryEvent telemetryEvent) =>
        _lines.Add($"{telemetryEvent.Type} {Describe(telemetryEvent.Data)}");

    /// <summary>The lines collected since the last call, then forgets them.</summary>
    public IReadOnlyList<string> Take()
    {
        var lines = _lines.ToArray();
        _lines.Clear();
        return lines;
    }

    public static string Describe(IReadOnlyDictionary<string, EventValue> data) =>
        string.Join(' ', data.Select(kv => $"{kv.Key}={kv.Value}"));

    /// <summary>Text from a device or a peer, printable on one line: control characters as \uNNNN.</summary>
    public static string Escape(string text) => string.Concat(text.Select(c => c switch
    {
        '\t' => "\\t",
        '\\' => "\\\\",
        _ when char.IsControl(c) => $"\\u{(int)c:x4}",
        _ => c.ToString(),
    }));
}
