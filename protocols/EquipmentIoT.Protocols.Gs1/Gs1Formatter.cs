using System.Text;

namespace EquipmentIoT.Protocols.Gs1;

/// <summary>
/// Writes element strings in the order they are held, in the two forms <see cref="Gs1Parser"/> reads.
/// </summary>
public static class Gs1Formatter
{
    /// <summary>
    /// The human-readable (HRI) form: each AI in parentheses followed by its data, no separators,
    /// e.g. <c>(01)09506000134352(11)260115(10)B-2026-0007(21)0001</c>.
    /// </summary>
    public static string FormatHumanReadable(Gs1ElementString elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var text = new StringBuilder();
        foreach (var element in elements.Elements) text.Append('(').Append(element.Ai.Code).Append(')').Append(element.Value);
        return text.ToString();
    }

    /// <summary>
    /// The element string as a scanner transmits it, without a symbology identifier: AIs and data run
    /// together, and a GS (0x1D, for FNC1) follows a variable-length field only when another element comes
    /// after it — predefined-length fields (Figure 7.8.5-2) and the last field need none (§7.8.5).
    /// </summary>
    public static string FormatElementString(Gs1ElementString elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var text = new StringBuilder();
        var list = elements.Elements;
        for (var i = 0; i < list.Count; i++)
        {
            text.Append(list[i].Ai.Code).Append(list[i].Value);
            if (!list[i].Ai.IsPredefinedLength && i < list.Count - 1) text.Append(Gs1Characters.GroupSeparator);
        }
        return text.ToString();
    }
}
