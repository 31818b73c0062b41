using System.Globalization;

namespace EquipmentIoT.EdgeAgent.Cli.Probe;

/// <summary>A usage error of <c>eqiot agent probe</c>: exit code 2 with its message.</summary>
internal sealed class ProbeUsageException(string message) : Exception(message);

/// <summary>Walks a probe's arguments one option at a time; every problem is a <see cref="ProbeUsageException"/>.</summary>
internal sealed class ProbeArguments(IReadOnlyList<string> args)
{
    private int _index = -1;

    /// <summary>The option being read.</summary>
    public string Current => args[_index];

    /// <summary>Moves to the next argument; false at the end.</summary>
    public bool Next() => ++_index < args.Count;

    /// <summary>The value after the current option.</summary>
    public string Value() => _index + 1 < args.Count ? args[++_index] : throw new ProbeUsageException($"{Current} needs a value");

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/> after the current option.</summary>
    public int Int(int min, int max)
    {
        var option = Current;
        var v = Value();
        return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ProbeUsageException($"{option} takes a whole number from {min} to {max}, not '{v}'");
    }

    /// <summary>A positive number of seconds (fractions allowed) after the current option.</summary>
    public TimeSpan Seconds(double max = 86_400)
    {
        var option = Current;
        var v = Value();
        return double.TryParse(v, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var s) && s > 0 && s <= max
            ? TimeSpan.FromSeconds(s)
            : throw new ProbeUsageException($"{option} takes seconds (0 < s <= {max}), not '{v}'");
    }

    /// <summary>One of <paramref name="choices"/> after the current option.</summary>
    public string Choice(params string[] choices)
    {
        var option = Current;
        var v = Value();
        return choices.Contains(v, StringComparer.Ordinal) ? v : throw new ProbeUsageException($"{option} takes {string.Join('|', choices)}, not '{v}'");
    }

    /// <summary>The error for an option this probe does not know.</summary>
    public ProbeUsageException Unknown() => new($"unknown option '{Current}'");
}
