using System.Buffers;
using System.Globalization;

namespace EquipmentIoT.Protocols.Gs1;

/// <summary>The character classes GS1 data fields use, and how a refused character is shown in a reason.</summary>
internal static class Gs1Characters
{
    /// <summary>ASCII GS (group separator), which stands for FNC1 after a variable-length field (§7.8.5).</summary>
    public const char GroupSeparator = '\u001D';

    /// <summary>
    /// GS1 AI encodable character set 82 (General Specifications Figure 7.11-1): the invariant subset of
    /// ISO/IEC 646 — digits, upper and lower case letters and 20 punctuation marks. No space, no '#', '$',
    /// '@', no control characters, nothing outside ASCII.
    /// </summary>
    public const string Set82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

    private static readonly SearchValues<char> Set82Values = SearchValues.Create(Set82);

    /// <summary>Index of the first character outside character set 82, or -1.</summary>
    public static int IndexOfNotInSet82(ReadOnlySpan<char> text) => text.IndexOfAnyExcept(Set82Values);

    /// <summary>Index of the first character that is not an ASCII digit, or -1.</summary>
    public static int IndexOfNonDigit(ReadOnlySpan<char> text) => text.IndexOfAnyExceptInRange('0', '9');

    /// <summary>
    /// A character as a reason shows it: quoted when it prints, as U+XXXX when it is a control character,
    /// white space or half of a surrogate pair (a GS or a space in quotes would be invisible).
    /// </summary>
    public static string Describe(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c)
            ? string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}")
            : $"'{c}'";
}
