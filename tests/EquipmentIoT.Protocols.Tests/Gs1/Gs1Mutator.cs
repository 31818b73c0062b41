namespace EquipmentIoT.Protocols.Tests.Gs1;

/// <summary>
/// Damages GS1 text the ways scanners, keyboards and people do: characters replaced, inserted, deleted or
/// swapped, text cut short or doubled, separators added and lost, AI-like groups and symbology identifiers
/// dropped in. Deterministic for a given <see cref="Random"/>.
/// </summary>
internal sealed class Gs1Mutator(Random random)
{
    // What the parser treats specially or what sits at a class boundary: digits, parentheses, ']', GS, '%'
    // (a GS1 QR separator elsewhere, data here), characters just outside set 82, non-ASCII, NUL, a lone
    // surrogate, the letters of symbology identifiers.
    private const string Interesting = "0123456789()]\u001D%#$@ \u00E9\u00A0\u0000\uD83D\uFFFF~`{|}\\^CdeQ";
    private const string Set82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
    private static readonly string[] Fragments = ["(01)", "(10)", "(17)", "(99)", "(3103)", "(", ")", "]C1", "]d2", "]Q3", "]e0", "]d1", "01", "10", "11", "17", "21", "240", "30", "00", "\u001D\u001D"];

    /// <summary>Text of 0–80 characters drawn from set 82 and the interesting characters.</summary>
    public string RandomText()
    {
        var text = new char[random.Next(81)];
        for (var i = 0; i < text.Length; i++)
            text[i] = random.Next(3) == 0 ? Interesting[random.Next(Interesting.Length)] : Set82[random.Next(Set82.Length)];
        return new string(text);
    }

    /// <summary>One to three damages to <paramref name="text"/>.</summary>
    public string Mutate(string text)
    {
        for (var n = 1 + random.Next(3); n > 0; n--) text = MutateOnce(text);
        return text;
    }

    private string MutateOnce(string text)
    {
        if (text.Length == 0) return Fragments[random.Next(Fragments.Length)];
        var at = random.Next(text.Length);
        return random.Next(9) switch
        {
            0 => string.Concat(text.AsSpan(0, at), Pick().ToString(), text.AsSpan(at + 1)),
            1 => text.Insert(at, Pick().ToString()),
            2 => text.Remove(at, Math.Min(1 + random.Next(4), text.Length - at)),
            3 => text[..at],
            4 => text + text[at..],
            5 => at + 1 < text.Length ? string.Concat(text.AsSpan(0, at), text[at + 1].ToString(), text[at].ToString(), text.AsSpan(at + 2)) : text,
            6 => text.Insert(at, "\u001D"),
            7 => text.Replace("\u001D", "", StringComparison.Ordinal),
            _ => text.Insert(random.Next(2) == 0 ? 0 : at, Fragments[random.Next(Fragments.Length)]),
        };
    }

    private char Pick() => random.Next(2) == 0 ? Interesting[random.Next(Interesting.Length)] : (char)random.Next(0x20, 0x7F);
}
