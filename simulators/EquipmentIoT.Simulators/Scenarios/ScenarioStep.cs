using System.Globalization;

namespace EquipmentIoT.Simulators.Scenarios;

/// <summary>
/// One scripted fault: what, when (simulated time after start) and for how long (null = until the end).
/// Written <c>NAME[@START][+DURATION]</c> with durations like 90s, 10m, 2h, 1d: <c>helium-leak@10m</c>,
/// <c>unplugged@30s+20s</c>.
/// </summary>
public sealed record ScenarioStep(ScenarioKind Kind, TimeSpan Start, TimeSpan? Duration)
{
    /// <summary>True while the step is playing at <paramref name="elapsed"/> simulated time.</summary>
    public bool IsActiveAt(TimeSpan elapsed) => elapsed >= Start && (Duration is not { } d || elapsed < Start + d);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string text, out ScenarioStep? step, out string? error)
    {
        step = null;
        error = null;
        var rest = text.Trim();
        TimeSpan? duration = null;
        var start = TimeSpan.Zero;
        var plus = rest.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            if (!TryParseDuration(rest[(plus + 1)..], out var d) || d <= TimeSpan.Zero)
            {
                error = $"scenario '{text}': duration '{rest[(plus + 1)..]}' is not like 30s, 10m, 2h or 1d";
                return false;
            }

            duration = d;
            rest = rest[..plus];
        }

        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!TryParseDuration(rest[(at + 1)..], out start))
            {
                error = $"scenario '{text}': start '{rest[(at + 1)..]}' is not like 30s, 10m, 2h or 1d";
                return false;
            }

            rest = rest[..at];
        }

        if (!ScenarioNames.TryParse(rest, out var kind))
        {
            error = $"scenario '{rest}' is unknown; known: {string.Join(", ", ScenarioNames.All)}";
            return false;
        }

        step = new ScenarioStep(kind, start, duration);
        return true;
    }

    /// <summary>Parses 90s, 10m, 2h, 1d, 500ms (a plain number is seconds).</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var t = text.Trim();
        var (digits, unit) = t.EndsWith("ms", StringComparison.Ordinal) ? (t[..^2], 0.001)
            : t.EndsWith('s') ? (t[..^1], 1.0)
            : t.EndsWith('m') ? (t[..^1], 60.0)
            : t.EndsWith('h') ? (t[..^1], 3600.0)
            : t.EndsWith('d') ? (t[..^1], 86400.0)
            : (t, 1.0);
        if (!double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0 || n * unit > TimeSpan.MaxValue.TotalSeconds / 2) return false;
        value = TimeSpan.FromSeconds(n * unit);
        return true;
    }
}

/// <summary>The scenario steps of one simulator run.</summary>
public sealed class ScenarioScript
{
    private readonly List<ScenarioStep> _steps;

    /// <summary>A script of <paramref name="steps"/>.</summary>
    public ScenarioScript(IEnumerable<ScenarioStep> steps) => _steps = [.. steps];

    /// <summary>No scenario: the equipment behaves.</summary>
    public static ScenarioScript None { get; } = new([]);

    /// <summary>The steps.</summary>
    public IReadOnlyList<ScenarioStep> Steps => _steps;

    /// <summary>True when a step of <paramref name="kind"/> is playing at <paramref name="elapsed"/>.</summary>
    public bool IsActive(ScenarioKind kind, TimeSpan elapsed) => _steps.Exists(s => s.Kind == kind && s.IsActiveAt(elapsed));
}
