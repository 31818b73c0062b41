namespace EquipmentIoT.Cloud.Cli;

/// <summary>
/// The few shapes our commands take: <c>--name value</c> options and <c>--flag</c> switches, each known
/// in advance; anything else is a usage error naming the argument.
/// </summary>
internal sealed class CommandArguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private CommandArguments()
    {
    }

    public bool Help { get; private set; }

    public string? Error { get; private set; }

    /// <summary>Parses <paramref name="args"/>: <paramref name="options"/> take a value, <paramref name="switches"/> do not.</summary>
    public static CommandArguments Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> options, IReadOnlyCollection<string>? switches = null)
    {
        var parsed = new CommandArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a is "-h" or "--help")
            {
                parsed.Help = true;
            }
            else if (options.Contains(a))
            {
                if (i + 1 >= args.Count)
                {
                    parsed.Error = $"{a} needs a value";
                    return parsed;
                }
                if (!parsed._values.TryGetValue(a, out var values)) parsed._values[a] = values = [];
                values.Add(args[++i]);
            }
            else if (switches?.Contains(a) == true)
            {
                parsed._flags.Add(a);
            }
            else
            {
                parsed.Error = $"unexpected '{a}'";
                return parsed;
            }
        }
        return parsed;
    }

    /// <summary>The option's value (the last, when given more than once), or null.</summary>
    public string? this[string option] => _values.TryGetValue(option, out var values) ? values[^1] : null;

    /// <summary>Every value given for a repeatable option, in order.</summary>
    public IReadOnlyList<string> All(string option) => _values.TryGetValue(option, out var values) ? values : [];

    public bool Has(string flag) => _flags.Contains(flag);
}
