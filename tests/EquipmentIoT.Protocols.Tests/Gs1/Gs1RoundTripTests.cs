using EquipmentIoT.Protocols.Gs1;

namespace EquipmentIoT.Protocols.Tests.Gs1;

/// <summary>Format → parse → equal, over seeded random element strings and UDIs.</summary>
public class Gs1RoundTripTests
{
    private const int Cases = 2_000;
    private static readonly string[] SymbologyIdentifiers = ["", "]C1", "]d2", "]Q3", "]e0"];

    [Theory]
    [InlineData(20261122)]
    [InlineData(7)]
    public void FormatElementString_ThenParse_GivesTheSameElements(int seed) =>
        AssertRoundTrips(seed, forHumanReadable: false, (random, elements) =>
            SymbologyIdentifiers[random.Next(SymbologyIdentifiers.Length)] + Gs1Formatter.FormatElementString(elements));

    [Theory]
    [InlineData(20261122)]
    [InlineData(7)]
    public void FormatHumanReadable_ThenParse_GivesTheSameElements(int seed) =>
        AssertRoundTrips(seed, forHumanReadable: true, (_, elements) => Gs1Formatter.FormatHumanReadable(elements));

    [Theory]
    [InlineData(20261122)]
    [InlineData(11)]
    public void Udi_FormatThenParse_GivesTheSameUdi(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < Cases; i++)
        {
            var udi = Gs1Samples.RandomUdi(random);
            var elements = udi.ToElementString();

            Assert.Equal(udi, Udi.Parse(Gs1Formatter.FormatElementString(elements), Gs1Samples.ReferenceDate).Value);
            Assert.Equal(udi, Udi.Parse(Gs1Formatter.FormatHumanReadable(elements), Gs1Samples.ReferenceDate).Value);
        }
    }

    private static void AssertRoundTrips(int seed, bool forHumanReadable, Func<Random, Gs1ElementString, string> format)
    {
        var random = new Random(seed);
        for (var i = 0; i < Cases; i++)
        {
            var elements = Gs1Samples.RandomElementString(random, forHumanReadable);
            var text = format(random, elements);

            var parsed = Gs1Parser.Parse(text, Gs1Samples.ReferenceDate);

            Assert.True(parsed.Success, $"{Printable(text)}: {parsed.Error}");
            Assert.Equal(elements, parsed.Value);
        }
    }

    private static string Printable(string text) => text.Replace("\u001D", "<GS>", StringComparison.Ordinal);
}
