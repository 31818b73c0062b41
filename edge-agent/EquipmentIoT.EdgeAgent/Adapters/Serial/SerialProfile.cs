using System.Text.RegularExpressions;
using EquipmentIoT.EdgeAgent.Profiles;
using EquipmentIoT.Protocols.Serial.Framing;

namespace EquipmentIoT.EdgeAgent.Adapters.Serial;

/// <summary>
/// The 'serial' section of a device profile: how the equipment's status lines are cut and decoded, and
/// rules that turn each line into metrics, state changes and faults. The first rule whose <c>match</c>
/// regex matches a line is used; a line no rule matches is counted as unmatched.
/// </summary>
/// <example><code>
/// serial:
///   encoding: ascii
///   maxLineLength: 256
///   lines:
///     - match: '^STAT '
///       grammar: key-value
///       metrics: [{ field: T, name: tube_temperature, unit: Cel }]
///       states: [{ field: S, map: { RDY: ready, SCN: scanning } }]
///       faults: [{ field: F, clear: ["0"], text: { E101: tube overtemperature } }]
/// </code></example>
public sealed class SerialProfile : ProfileNode
{
    /// <summary>How long one regex may run on one line before it is abandoned (a device must not be able to hang us).</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>ascii | utf-8 | latin1 | gb18030.</summary>
    public string Encoding { get; set; } = "ascii";

    /// <summary>Longest line in bytes (16–65536); longer lines are discarded and counted.</summary>
    public int MaxLineLength { get; set; } = 256;

    /// <summary>lf | crlf (LF, CR LF tolerated; default) | any (LF, CR LF or a lone CR).</summary>
    public string LineEnding { get; set; } = "crlf";

    /// <summary>The rules, tried in order.</summary>
    public List<SerialLineRule> Lines { get; set; } = [];

    /// <summary>The framer options this section describes (call after a successful <see cref="Validate"/>).</summary>
    public LineFramerOptions ToFramerOptions() => new()
    {
        Encoding = Encoding,
        MaxLineLength = MaxLineLength,
        LineEnding = ParseLineEnding(LineEnding) ?? Protocols.Serial.Framing.LineEnding.CrLf,
    };

    /// <inheritdoc/>
    public override IEnumerable<ProfileError> Validate()
    {
        if (!LineEncodings.IsSupported(Encoding)) yield return Error($"serial.encoding '{Encoding}' is not one of {string.Join(", ", LineEncodings.Names)}");
        if (MaxLineLength is < LineFramerOptions.MinimumLineLength or > LineFramerOptions.MaximumLineLength)
        {
            yield return Error($"serial.maxLineLength {MaxLineLength} must be between {LineFramerOptions.MinimumLineLength} and {LineFramerOptions.MaximumLineLength}");
        }

        if (ParseLineEnding(LineEnding) is null) yield return Error($"serial.lineEnding '{LineEnding}' is not lf, crlf or any");
        if (Lines.Count == 0) yield return Error("serial.lines needs at least one rule");
        foreach (var rule in Lines)
        {
            if (rule is null) continue;
            foreach (var e in rule.Validate()) yield return e;
        }
    }

    /// <summary>Compiles <paramref name="pattern"/> with the line-matching options and <see cref="RegexTimeout"/>.</summary>
    internal static Regex CompileRegex(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, RegexTimeout);

    /// <summary>null when <paramref name="pattern"/> compiles, else why not.</summary>
    internal static string? RegexProblem(string pattern)
    {
        try
        {
            _ = CompileRegex(pattern);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    private static LineEnding? ParseLineEnding(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "LF" => Protocols.Serial.Framing.LineEnding.Lf,
        "CRLF" => Protocols.Serial.Framing.LineEnding.CrLf,
        "ANY" => Protocols.Serial.Framing.LineEnding.Any,
        _ => null,
    };
}
