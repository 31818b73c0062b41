using System.Globalization;
using System.Text.RegularExpressions;
using EquipmentIoT.Protocols.Gs1;
using Xunit.Abstractions;

namespace EquipmentIoT.Protocols.Tests.Gs1;

/// <summary>
/// Seeded fuzzing of every entry point with random text and damaged valid text (both forms). The contract:
/// no exception, ever; a refusal has a reason whose offsets lie inside the text; what is accepted formats back
/// to text that reads the same.
/// </summary>
public partial class Gs1FuzzTests(ITestOutputHelper output)
{
    private const int Inputs = 30_000;
    private const int MaxRecordedFindings = 10;

    [Theory]
    [InlineData(20261122)]
    [InlineData(99)]
    public void Parse_RandomAndMutatedInput_OnlyResultsAndAcceptedInputRoundTrips(int seed)
    {
        var (accepted, refused, findings) = Run(seed, Inputs);

        output.WriteLine($"seed {seed}: {Inputs} inputs, {accepted} accepted, {refused} refused, {findings.Count} findings");
        foreach (var finding in findings.Take(MaxRecordedFindings)) output.WriteLine(finding);
        Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings.Take(MaxRecordedFindings)));
        // Both outcomes in numbers, or the fuzzer only exercises one path.
        Assert.True(accepted > 2_000, $"{accepted} accepted");
        Assert.True(refused > 10_000, $"{refused} refused");
    }

    [Fact]
    public void Run_SameSeed_SameCounts() => Assert.Equal(Run(5, 2_000), Run(5, 2_000), (a, b) => a.Accepted == b.Accepted && a.Refused == b.Refused);

    private static (int Accepted, int Refused, List<string> Findings) Run(int seed, int inputs)
    {
        var random = new Random(seed);
        var mutator = new Gs1Mutator(random);
        int accepted = 0, refused = 0;
        var findings = new List<string>();
        for (var i = 0; i < inputs; i++)
        {
            var text = Input(random, mutator);
            // Other reference years move the §7.12 window under the generated dates.
            var today = random.Next(4) == 0 ? new DateOnly(1990 + random.Next(100), 1 + random.Next(12), 1) : Gs1Samples.ReferenceDate;
            try
            {
                var parsed = Gs1Parser.Parse(text, today);
                if (parsed.Success) accepted++;
                else refused++;
                Check(text, parsed, today, findings);
                CheckReason(text, Gs1Parser.ParseHumanReadable(text, today).Error, findings);
                CheckReason(text, Gs1Parser.ParseElementString(text, today).Error, findings);
                CheckReason(text, Udi.Parse(text, today).Error, findings);
            }
#pragma warning disable CA1031 // Any exception at all is what the fuzzer looks for.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                findings.Add($"#{i} {Escape(text)}: {ex}");
            }
        }
        return (accepted, refused, findings);
    }

    private static string Input(Random random, Gs1Mutator mutator)
    {
        var roll = random.Next(10);
        if (roll < 2) return mutator.RandomText();
        var elements = Gs1Samples.RandomElementString(random, forHumanReadable: roll < 5);
        var valid = roll < 5 ? Gs1Formatter.FormatHumanReadable(elements) : Gs1Formatter.FormatElementString(elements);
        // One in five stays intact, so acceptance is exercised as much as refusal.
        return random.Next(5) == 0 ? valid : mutator.Mutate(valid);
    }

    // What was accepted writes back to element-string text that reads the same; the human-readable form too,
    // unless a value holds "(", which that form cannot always tell from an AI.
    private static void Check(string text, Gs1Result<Gs1ElementString> parsed, DateOnly today, List<string> findings)
    {
        if (!parsed.Success)
        {
            CheckReason(text, parsed.Error, findings);
            return;
        }
        var elements = parsed.Value;
        var again = Gs1Parser.ParseElementString(Gs1Formatter.FormatElementString(elements), today);
        if (!again.Success || !again.Value.Equals(elements))
            findings.Add($"{Escape(text)}: element string did not round-trip ({again})");
        if (elements.Elements.All(e => !e.Value.Contains('(', StringComparison.Ordinal)))
        {
            var hri = Gs1Parser.ParseHumanReadable(Gs1Formatter.FormatHumanReadable(elements), today);
            if (!hri.Success || !hri.Value.Equals(elements))
                findings.Add($"{Escape(text)}: human-readable form did not round-trip ({hri})");
        }
    }

    private static void CheckReason(string text, string? reason, List<string> findings)
    {
        if (reason is null) return;
        if (reason.Length == 0) findings.Add($"{Escape(text)}: empty reason");
        foreach (Match match in OffsetPattern().Matches(reason))
        {
            var offset = int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            if (offset > text.Length) findings.Add($"{Escape(text)}: offset {offset} beyond the text ({text.Length}) in \"{reason}\"");
        }
    }

    private static string Escape(string text) =>
        string.Concat(text.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString()));

    [GeneratedRegex(@"offset (\d+)")]
    private static partial Regex OffsetPattern();
}
