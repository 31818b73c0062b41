using System.Globalization;

namespace EquipmentIoT.Protocols.Gs1;

/// <summary>
/// What both input forms share once a reader has found an AI and where its field starts and ends: the
/// duplicate check, the field's checks, and the reason worded with offsets into the text given.
/// </summary>
internal sealed class Gs1ElementCollector(string text, DateOnly referenceDate)
{
    private readonly List<Gs1Element> _elements = [];

    /// <summary>Adds the element, or returns why it is refused.</summary>
    public string? Add(Gs1ApplicationIdentifier ai, int aiOffset, int valueStart, int valueEnd)
    {
        if (Gs1ElementString.Contains(_elements, ai))
            return string.Create(CultureInfo.InvariantCulture, $"offset {aiOffset}: duplicate AI ({ai.Code})");
        var value = text.AsSpan(valueStart, valueEnd - valueStart);
        if (!Gs1ValueValidator.IsValid(ai, value, referenceDate, out var problem))
            return problem.Describe($"AI ({ai.Code})", valueStart);
        _elements.Add(new Gs1Element(ai, value.ToString()));
        return null;
    }

    /// <summary>The element string read, or a refusal when there was nothing in it.</summary>
    public Gs1Result<Gs1ElementString> Finish() => _elements.Count == 0
        ? Gs1Result<Gs1ElementString>.Fail("no element strings")
        : Gs1Result<Gs1ElementString>.Ok(Gs1ElementString.FromChecked(_elements));
}
