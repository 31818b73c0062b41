using System.Globalization;
using System.Text;

namespace EquipmentIoT.EdgeAgent.Privacy;

/// <summary>
/// Finds removed PHI values inside the text that stays ("CT head for ZHANG^SAN") and masks them with
/// <see cref="Mask"/>. Needles are the removed values themselves and, for person names (PN: components
/// split by '^', groups by '='), each group, the group with its components joined by a space and without
/// separators ("ZHANG SAN", "张三"), and each component. Matching ignores case; overlapping matches merge
/// into one mask. A needle must be <see cref="PhiPolicy.MinimumLeakLength"/> characters long, or 2 when it
/// holds caseless letters (ideographs, kana, hangul): two-character Chinese names are common, and masking
/// two random Latin letters would shred ordinary text.
/// </summary>
internal sealed class PhiLeakGuard(int minimumLength)
{
    /// <summary>What replaces a leaked value.</summary>
    public const string Mask = "[removed]";

    private readonly List<string> _needles = [];

    public bool IsEmpty => _needles.Count == 0;

    /// <summary>Adds the needles of a removed text value (a PN, a multi-valued string or plain text).</summary>
    public void AddRemoved(string value)
    {
        foreach (var single in value.Split('\\'))
        {
            Add(single);
            if (single.AsSpan().IndexOfAny('^', '=') < 0) continue;
            foreach (var group in single.Split('='))
            {
                Add(group);
                var components = group.Split('^', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                Add(string.Join(' ', components));
                Add(string.Concat(components));
                foreach (var component in components) Add(component);
            }
        }
    }

    /// <summary>Adds a value that was replaced by a pseudonym.</summary>
    public void AddIdentifier(string value) => Add(value);

    /// <summary>The text with every needle masked, or the same instance when none occurs.</summary>
    public string Apply(string text)
    {
        bool[]? masked = null;
        foreach (var needle in _needles)
        {
            if (needle.Length > text.Length) continue;
            for (var at = text.IndexOf(needle, StringComparison.OrdinalIgnoreCase); at >= 0;
                 at = at + 1 < text.Length ? text.IndexOf(needle, at + 1, StringComparison.OrdinalIgnoreCase) : -1)
            {
                masked ??= new bool[text.Length];
                masked.AsSpan(at, needle.Length).Fill(true);
            }
        }

        if (masked is null) return text;
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (!masked[i])
            {
                sb.Append(text[i]);
                continue;
            }

            sb.Append(Mask);
            while (i + 1 < text.Length && masked[i + 1]) i++;
        }

        return sb.ToString();
    }

    private void Add(string candidate)
    {
        var needle = candidate.Trim(' ', '\0', '^', '=');
        if (!IsSignificant(needle)) return;
        foreach (var existing in _needles)
            if (string.Equals(existing, needle, StringComparison.OrdinalIgnoreCase)) return;
        _needles.Add(needle);
    }

    private bool IsSignificant(string needle)
    {
        if (needle.Length >= minimumLength) return true;
        if (needle.Length < 2) return false;
        foreach (var c in needle)
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.OtherLetter) return true;
        return false;
    }
}
