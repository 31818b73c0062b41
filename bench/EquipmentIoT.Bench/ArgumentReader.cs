using System.Globalization;

namespace EquipmentIoT.Bench;

/// <summary>Walks "--name value" command-line arguments, turning bad values into <see cref="CommandLineException"/>.</summary>
internal sealed class ArgumentReader(IReadOnlyList<string> args)
{
    private int _next;

    /// <summary>The option just read by <see cref="TryNext"/>.</summary>
    public string Current { get; private set; } = "";

    public bool TryNext()
    {
        if (_next >= args.Count) return false;
        Current = args[_next++];
        return true;
    }

    public string Value()
    {
        if (_next >= args.Count) throw new CommandLineException($"{Current} needs a value");
        return args[_next++];
    }

    public long Long(long min, long max)
    {
        var text = Value().Replace("_", "", StringComparison.Ordinal);
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw new CommandLineException($"{Current} takes a whole number from {min:N0} to {max:N0}, not '{text}'");
        return n;
    }

    public int Int(int min, int max) => checked((int)Long(min, max));

    public CommandLineException Unknown() => new($"unknown option '{Current}' (see --help)");
}
