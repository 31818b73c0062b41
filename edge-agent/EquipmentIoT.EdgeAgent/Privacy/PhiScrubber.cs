using System.Collections.Concurrent;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EquipmentIoT.EdgeAgent.Privacy;

/// <summary>
/// Takes patient data out of events before anything is buffered (DESIGN.md: PHI never leaves the
/// hospital), following a <see cref="PhiPolicy"/>: pseudonymises identifiers with the site secret, removes
/// names, birth dates, contact data and other people, removes unknown attributes that look personal, and
/// masks removed values found in the text that stays. An event without anything to scrub is returned as
/// the same instance without allocating (for <see cref="Dictionary{TKey, TValue}"/> data). Counts what it
/// did per attribute name; never logs or keeps a value. Thread-safe.
/// </summary>
public sealed partial class PhiScrubber
{
    /// <summary>Most distinct attribute names counted; beyond, counts go to "(other)" (names come from devices).</summary>
    public const int MaxCountedKeys = 256;

    private const string OtherKey = "(other)";

    private readonly PhiSiteSecret _secret;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _deniedLogged = new(StringComparer.OrdinalIgnoreCase);
    private long _untouched, _scrubbed;

    /// <summary>Creates a scrubber.</summary>
    public PhiScrubber(PhiPolicy policy, PhiSiteSecret secret, ILogger<PhiScrubber>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(secret);
        Policy = policy;
        _secret = secret;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    private enum KeyAction
    {
        Keep,
        Remove,
        Pseudonymise,
        Deny,
    }

    /// <summary>The policy in force.</summary>
    public PhiPolicy Policy { get; }

    /// <summary>
    /// The event without PHI: the same instance when nothing in it needed scrubbing, otherwise a copy
    /// whose data has identifiers pseudonymised, personal attributes removed and leaks masked.
    /// </summary>
    public TelemetryEvent Scrub(TelemetryEvent telemetryEvent)
    {
        ArgumentNullException.ThrowIfNull(telemetryEvent);
        if (!NeedsScrubbing(telemetryEvent.Data))
        {
            Interlocked.Increment(ref _untouched);
            return telemetryEvent;
        }

        Interlocked.Increment(ref _scrubbed);
        return telemetryEvent with { Data = ScrubData(telemetryEvent.Data) };
    }

    /// <summary>The pseudonym of <paramref name="value"/> in <paramref name="domain"/> (e.g. <see cref="PhiPolicy.PatientIdDomain"/>).</summary>
    public string Pseudonymise(string domain, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(domain);
        ArgumentNullException.ThrowIfNull(value);
        return PhiPseudonyms.Create(_secret.Key, domain, value);
    }

    /// <summary>A snapshot of the counters.</summary>
    public PhiScrubStatistics GetStatistics() => new(
        Interlocked.Read(ref _untouched),
        Interlocked.Read(ref _scrubbed),
        _counters.ToDictionary(kv => kv.Key, kv => kv.Value.Snapshot(), StringComparer.OrdinalIgnoreCase));

    private bool NeedsScrubbing(IReadOnlyDictionary<string, EventValue> data)
    {
        // The concrete type's struct enumerator: no allocation on the path most events take.
        if (data is Dictionary<string, EventValue> dictionary)
        {
            foreach (var key in dictionary.Keys)
                if (Classify(key, out _) != KeyAction.Keep) return true;
            return false;
        }

        foreach (var (key, _) in data)
            if (Classify(key, out _) != KeyAction.Keep) return true;
        return false;
    }

    private Dictionary<string, EventValue> ScrubData(IReadOnlyDictionary<string, EventValue> data)
    {
        var guard = new PhiLeakGuard(Policy.MinimumLeakLength);
        var kept = new List<(string Key, EventValue Value, bool Hashed)>(data.Count);
        foreach (var (key, value) in data)
        {
            switch (Classify(key, out var domain))
            {
                case KeyAction.Keep:
                    kept.Add((key, value, false));
                    break;
                case KeyAction.Pseudonymise when value.Kind != EventValueKind.Boolean:
                    kept.Add((key, Pseudonymise(domain!, value.ToString(), guard), true));
                    Count(key).Increment(Tally.Pseudonymised);
                    break;
                case KeyAction.Deny:
                    if (value.Kind == EventValueKind.Text) guard.AddRemoved(value.AsString);
                    Count(key).Increment(Tally.DefaultDenied);
                    if (_deniedLogged.Count < MaxCountedKeys && _deniedLogged.TryAdd(key, 0)) LogDefaultDenied(_logger, key);
                    break;
                default: // Remove, or a boolean where an identifier belongs
                    if (value.Kind == EventValueKind.Text) guard.AddRemoved(value.AsString);
                    Count(key).Increment(Tally.Removed);
                    break;
            }
        }

        var result = new Dictionary<string, EventValue>(kept.Count, StringComparer.Ordinal);
        foreach (var (key, value, hashed) in kept)
        {
            if (hashed || guard.IsEmpty || value.Kind != EventValueKind.Text)
            {
                result[key] = value;
                continue;
            }

            var text = value.AsString;
            var masked = guard.Apply(text);
            if (!ReferenceEquals(masked, text)) Count(key).Increment(Tally.LeaksMasked);
            result[key] = masked;
        }

        return result;
    }

    /// <summary>Pseudonymises each backslash-separated value (DICOM multi-valued strings, e.g. OtherPatientIDs).</summary>
    private string Pseudonymise(string domain, string text, PhiLeakGuard guard)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            guard.AddIdentifier(text.Trim(' ', '\0'));
            return text.Trim(' ', '\0').Length == 0 ? "" : PhiPseudonyms.Create(_secret.Key, domain, text);
        }

        var values = text.Split('\\');
        for (var i = 0; i < values.Length; i++)
        {
            var trimmed = values[i].Trim(' ', '\0');
            guard.AddIdentifier(trimmed);
            values[i] = trimmed.Length == 0 ? "" : PhiPseudonyms.Create(_secret.Key, domain, trimmed);
        }

        return string.Join('\\', values);
    }

    private KeyAction Classify(string key, out string? domain)
    {
        if (Policy.Pseudonymised.TryGetValue(key, out domain)) return KeyAction.Pseudonymise;
        if (Policy.Removed.Contains(key)) return KeyAction.Remove;
        if (Policy.Allowed.Contains(key)) return KeyAction.Keep;
        foreach (var fragment in Policy.Fragments)
            if (key.Contains(fragment, StringComparison.OrdinalIgnoreCase)) return KeyAction.Deny;
        return KeyAction.Keep;
    }

    private Counter Count(string key)
    {
        if (_counters.TryGetValue(key, out var counter)) return counter;
        return _counters.Count >= MaxCountedKeys ? _counters.GetOrAdd(OtherKey, _ => new Counter()) : _counters.GetOrAdd(key, _ => new Counter());
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "PHI: removed attribute {Key} by default deny (its name looks personal); if it holds no patient data, add it to Agent:Privacy:Allow")]
    private static partial void LogDefaultDenied(ILogger logger, string key);

    private enum Tally
    {
        Removed,
        Pseudonymised,
        DefaultDenied,
        LeaksMasked,
    }

    private sealed class Counter
    {
        private readonly long[] _tallies = new long[4];

        public void Increment(Tally which) => Interlocked.Increment(ref _tallies[(int)which]);

        public PhiKeyCounts Snapshot() => new(
            Interlocked.Read(ref _tallies[(int)Tally.Removed]), Interlocked.Read(ref _tallies[(int)Tally.Pseudonymised]),
            Interlocked.Read(ref _tallies[(int)Tally.DefaultDenied]), Interlocked.Read(ref _tallies[(int)Tally.LeaksMasked]));
    }
}
