using System.Globalization;
using System.Text.RegularExpressions;
using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Adapters.Serial;

/// <summary>What became of one line.</summary>
public enum SerialLineOutcome
{
    /// <summary>A rule took the line (some fields may still have been bad).</summary>
    Used,

    /// <summary>No rule matched (or the selected rule's csv/regex grammar did not fit).</summary>
    Unmatched,

    /// <summary>A regex ran past <see cref="SerialProfile.RegexTimeout"/>; the line was skipped.</summary>
    RegexTimeout,
}

/// <summary>The outcome of one line and how many of its fields were unusable, by reason.</summary>
public readonly record struct SerialLineResult(SerialLineOutcome Outcome, int MissingFields = 0, int NonNumericFields = 0, int InvalidValues = 0);

/// <summary>
/// Applies a <see cref="SerialProfile"/>'s rules to decoded lines: the first rule whose <c>match</c> matches
/// reads the line's fields (key-value, csv or regex), and each field becomes a metric, a state change or a
/// fault raise/clear. Keeps the last state of each state machine and the active code of each fault field,
/// so events are emitted only on change (and for the first value seen). Never throws for a line's content.
/// Not thread-safe: one per adapter.
/// </summary>
public sealed class SerialLineInterpreter
{
    // Event string values are at most 1,024 bytes on the wire (SPEC §events); states and codes are short words.
    private const int MaxValueLength = 64;

    private readonly string _device;
    private readonly CompiledRule[] _rules;
    private readonly Dictionary<string, string> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _faults = new(StringComparer.Ordinal);

    /// <summary>Compiles <paramref name="profile"/>'s rules for <paramref name="device"/>.</summary>
    /// <exception cref="ArgumentException">The profile does not validate.</exception>
    public SerialLineInterpreter(string device, SerialProfile profile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(device);
        ArgumentNullException.ThrowIfNull(profile);
        var errors = profile.Validate().ToList();
        if (errors.Count > 0) throw new ArgumentException($"invalid serial profile: {string.Join("; ", errors)}", nameof(profile));
        _device = device;
        _rules = profile.Lines.Select(r => new CompiledRule(r)).ToArray();
    }

    /// <summary>Interprets one line read at <paramref name="now"/>, handing readings and events to <paramref name="sink"/>.</summary>
    public SerialLineResult Interpret(string line, Instant now, ITelemetrySink sink)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(sink);
        try
        {
            foreach (var rule in _rules)
            {
                if (rule.Match is not null && !rule.Match.IsMatch(line)) continue;
                _fields.Clear();
                if (!rule.ReadFields(line, _fields))
                {
                    // A regex rule without 'match' is selected by its pattern: try the next rule.
                    if (rule.Match is null && rule.Source.Grammar == SerialLineRule.RegexGrammar) continue;
                    return new SerialLineResult(SerialLineOutcome.Unmatched);
                }

                return Apply(rule.Source, now, sink);
            }

            return new SerialLineResult(SerialLineOutcome.Unmatched);
        }
        catch (RegexMatchTimeoutException)
        {
            return new SerialLineResult(SerialLineOutcome.RegexTimeout);
        }
    }

    private SerialLineResult Apply(SerialLineRule rule, Instant now, ITelemetrySink sink)
    {
        int missing = 0, nonNumeric = 0, invalid = 0;
        foreach (var metric in rule.Metrics)
        {
            if (!_fields.TryGetValue(metric.Field, out var raw) || raw.Length == 0)
            {
                missing++;
                continue;
            }

            if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
            {
                nonNumeric++;
                continue;
            }

            var value = ReadingScale.Apply(number, metric.Scale, metric.Offset);
            if (!double.IsFinite(value))
            {
                nonNumeric++;
                continue;
            }

            sink.AddMetric(new MetricPoint(_device, metric.MetricName, metric.Unit, now, value));
        }

        foreach (var state in rule.States)
        {
            if (!_fields.TryGetValue(state.Field, out var raw) || raw.Length == 0) missing++;
            else if (raw.Length > MaxValueLength) invalid++;
            else SetState(state, raw, now, sink);
        }

        foreach (var fault in rule.Faults)
        {
            if (!_fields.TryGetValue(fault.Field, out var raw)) missing++;
            else if (raw.Length > MaxValueLength) invalid++;
            else SetFault(fault, raw, now, sink);
        }

        return new SerialLineResult(SerialLineOutcome.Used, missing, nonNumeric, invalid);
    }

    private void SetState(SerialStateRule rule, string raw, Instant now, ITelemetrySink sink)
    {
        var state = rule.Map.TryGetValue(raw, out var mapped) ? mapped : raw.ToLowerInvariant();
        var machine = rule.StateName;
        var known = _states.TryGetValue(machine, out var previous);
        if (known && previous == state) return;
        _states[machine] = state;
        var data = new Dictionary<string, EventValue> { ["state"] = state };
        if (known) data["previous"] = previous!;
        if (machine != "state") data["machine"] = machine;
        sink.AddEvent(new TelemetryEvent(_device, EventTypes.State, now, data));
    }

    private void SetFault(SerialFaultRule rule, string raw, Instant now, ITelemetrySink sink)
    {
        var code = raw.Trim();
        var cleared = rule.Clear.Contains(code, StringComparer.Ordinal);
        var active = _faults.TryGetValue(rule.Field, out var current) ? current : null;
        if (cleared ? active is null : active == code) return;
        if (active is not null) sink.AddEvent(FaultEvent(rule, active, false, now));
        if (cleared)
        {
            _faults.Remove(rule.Field);
            return;
        }

        _faults[rule.Field] = code;
        sink.AddEvent(FaultEvent(rule, code, true, now));
    }

    private TelemetryEvent FaultEvent(SerialFaultRule rule, string code, bool active, Instant now)
    {
        var data = new Dictionary<string, EventValue> { ["code"] = code, ["active"] = active, ["severity"] = rule.Severity };
        if (rule.Text.TryGetValue(code, out var text)) data["text"] = text;
        return new TelemetryEvent(_device, EventTypes.Fault, now, data);
    }

    private sealed class CompiledRule
    {
        private readonly Regex? _pattern;
        private readonly string[]? _pairSeparators;

        public CompiledRule(SerialLineRule source)
        {
            Source = source;
            Match = source.Match is null ? null : SerialProfile.CompileRegex(source.Match);
            _pattern = source.Grammar == SerialLineRule.RegexGrammar ? SerialProfile.CompileRegex(source.Pattern!) : null;
            _pairSeparators = source.PairSeparator is null ? null : [source.PairSeparator];
        }

        public SerialLineRule Source { get; }

        public Regex? Match { get; }

        // Fills `fields`; false when the line does not fit the grammar at all.
        public bool ReadFields(string line, Dictionary<string, string> fields)
        {
            switch (Source.Grammar)
            {
                case SerialLineRule.KeyValue:
                    var pairs = _pairSeparators is null
                        ? line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
                        : line.Split(_pairSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    foreach (var pair in pairs)
                    {
                        var at = pair.IndexOf(Source.KeyValueSeparator, StringComparison.Ordinal);
                        if (at <= 0) continue; // a bare word such as the "STAT" prefix
                        fields[pair[..at].Trim()] = pair[(at + Source.KeyValueSeparator.Length)..].Trim();
                    }

                    return true;
                case SerialLineRule.Csv:
                    var values = line.Split(Source.Delimiter, StringSplitOptions.TrimEntries);
                    var columns = Source.Columns;
                    for (var i = 0; i < columns.Count && i < values.Length; i++)
                    {
                        if (columns[i] != "-") fields[columns[i]] = values[i];
                    }

                    return true;
                default:
                    var match = _pattern!.Match(line);
                    if (!match.Success) return false;
                    foreach (Group group in match.Groups)
                    {
                        if (group.Success && !int.TryParse(group.Name, out _)) fields[group.Name] = group.Value;
                    }

                    return true;
            }
        }
    }
}
