using System.Buffers.Binary;
using System.Collections;
using System.Globalization;
using System.Text;

namespace EquipmentIoT.Protocols.Dicom.Data;

/// <summary>
/// A data set (PS3.5 §7): elements in ascending tag order. Strings are encoded when added and decoded when
/// read with <see cref="CharacterSet"/>, which follows Specific Character Set (0008,0005) and is inherited
/// by the items of its sequences unless they name their own.
/// </summary>
public sealed class DicomDataset : IEnumerable<DicomElement>
{
    private readonly SortedList<DicomTag, DicomElement> _elements = [];

    /// <summary>An empty data set in the default repertoire.</summary>
    public DicomDataset() : this(DicomCharacterSet.Default)
    {
    }

    /// <summary>An empty data set whose strings use <paramref name="characterSet"/> (an item inherits its parent's).</summary>
    public DicomDataset(DicomCharacterSet characterSet)
    {
        CharacterSet = characterSet ?? throw new ArgumentNullException(nameof(characterSet));
    }

    /// <summary>The character set of SH, LO, ST, LT, PN, UC and UT values.</summary>
    public DicomCharacterSet CharacterSet { get; internal set; }

    /// <summary>Number of elements.</summary>
    public int Count => _elements.Count;

    /// <summary>True when the data set has an element with this tag.</summary>
    public bool Contains(DicomTag tag) => _elements.ContainsKey(tag);

    /// <summary>The element with this tag, or null.</summary>
    public DicomElement? Find(DicomTag tag) => _elements.GetValueOrDefault(tag);

    /// <summary>Adds or replaces an element. Adding (0008,0005) also sets <see cref="CharacterSet"/>.</summary>
    public DicomDataset Add(DicomElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        _elements[element.Tag] = element;
        if (element.Tag == DicomTags.SpecificCharacterSet)
            CharacterSet = DicomCharacterSet.FromSpecificCharacterSet(DecodeText(element.VR, element.Value.Span));
        return this;
    }

    /// <summary>Removes an element; true when it was there.</summary>
    public bool Remove(DicomTag tag) => _elements.Remove(tag);

    /// <summary>Adds a string with the dictionary's VR for <paramref name="tag"/>.</summary>
    /// <exception cref="ArgumentException">The dictionary does not know the tag.</exception>
    public DicomDataset AddString(DicomTag tag, string value) =>
        AddString(tag, DicomDictionary.Find(tag)?.VR ?? throw new ArgumentException($"{tag} is not in the dictionary; give its VR", nameof(tag)), value);

    /// <summary>Adds a string value (several values separated by '\'), encoded and padded to even length as the VR requires.</summary>
    public DicomDataset AddString(DicomTag tag, DicomVR vr, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!DicomVRInfo.IsString(vr)) throw new ArgumentException($"{DicomVRInfo.Code(vr)} is not a string VR", nameof(vr));
        // (0008,0005) itself is CS: encode it before switching the character set.
        var encoding = DicomVRInfo.UsesSpecificCharacterSet(vr) ? CharacterSet.Encoding : Encoding.ASCII;
        var bytes = encoding.GetBytes(value);
        if ((bytes.Length & 1) != 0)
        {
            Array.Resize(ref bytes, bytes.Length + 1);
            bytes[^1] = vr == DicomVR.UI ? (byte)0 : (byte)' '; // PS3.5 §6.2: UI pads with NUL, text with space
        }

        return Add(new DicomElement(tag, vr, bytes));
    }

    /// <summary>Adds a US value.</summary>
    public DicomDataset AddUInt16(DicomTag tag, ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        return Add(new DicomElement(tag, DicomVR.US, bytes));
    }

    /// <summary>Adds a UL value.</summary>
    public DicomDataset AddUInt32(DicomTag tag, uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return Add(new DicomElement(tag, DicomVR.UL, bytes));
    }

    /// <summary>Adds an FD value (IEEE 754 double, little endian), e.g. CTDIvol (0018,9345).</summary>
    public DicomDataset AddFloat64(DicomTag tag, double value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        return Add(new DicomElement(tag, DicomVR.FD, bytes));
    }

    /// <summary>Adds an AT value (a tag: group then element, each little endian, PS3.5 §6.2).</summary>
    public DicomDataset AddAttributeTag(DicomTag tag, DicomTag value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), value.Element);
        return Add(new DicomElement(tag, DicomVR.AT, bytes));
    }

    /// <summary>Adds a sequence of items.</summary>
    public DicomDataset AddSequence(DicomTag tag, params DicomDataset[] items) => Add(new DicomElement(tag, items));

    /// <summary>The decoded string value (all values, '\'-separated), trimmed as the VR says; null when absent or not a string.</summary>
    public string? GetString(DicomTag tag)
    {
        var element = Find(tag);
        if (element is null || (!DicomVRInfo.IsString(element.VR) && element.VR != DicomVR.UN)) return null;
        return DecodeText(element.VR, element.Value.Span);
    }

    /// <summary>The first US value, or null when absent, of another VR or empty.</summary>
    public ushort? GetUInt16(DicomTag tag)
    {
        var element = Find(tag);
        return element is { VR: DicomVR.US, Value.Length: >= 2 } ? BinaryPrimitives.ReadUInt16LittleEndian(element.Value.Span) : null;
    }

    /// <summary>The first AT value, or null.</summary>
    public DicomTag? GetAttributeTag(DicomTag tag)
    {
        var element = Find(tag);
        if (element is not { VR: DicomVR.AT, Value.Length: >= 4 }) return null;
        var span = element.Value.Span;
        return new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(span), BinaryPrimitives.ReadUInt16LittleEndian(span[2..]));
    }

    /// <summary>
    /// The first value as a number for numeric VRs (US, UL, SS, SL, FL, FD, SV, UV) and numeric strings
    /// (DS, IS); null when absent, empty or not a number.
    /// </summary>
    public double? GetNumber(DicomTag tag)
    {
        var element = Find(tag);
        if (element is null) return null;
        var span = element.Value.Span;
        double? value = element.VR switch
        {
            DicomVR.US when span.Length >= 2 => BinaryPrimitives.ReadUInt16LittleEndian(span),
            DicomVR.SS when span.Length >= 2 => BinaryPrimitives.ReadInt16LittleEndian(span),
            DicomVR.UL when span.Length >= 4 => BinaryPrimitives.ReadUInt32LittleEndian(span),
            DicomVR.SL when span.Length >= 4 => BinaryPrimitives.ReadInt32LittleEndian(span),
            DicomVR.FL when span.Length >= 4 => BinaryPrimitives.ReadSingleLittleEndian(span),
            DicomVR.FD when span.Length >= 8 => BinaryPrimitives.ReadDoubleLittleEndian(span),
            DicomVR.SV when span.Length >= 8 => BinaryPrimitives.ReadInt64LittleEndian(span),
            DicomVR.UV when span.Length >= 8 => BinaryPrimitives.ReadUInt64LittleEndian(span),
            DicomVR.DS or DicomVR.IS => ParseDecimal(DecodeText(element.VR, span)),
            _ => null,
        };
        return value is { } v && double.IsFinite(v) ? v : null;
    }

    /// <summary>The items of a sequence; empty when absent or not a sequence.</summary>
    public IReadOnlyList<DicomDataset> GetSequence(DicomTag tag) => Find(tag)?.Items ?? [];

    /// <summary>
    /// A copy whose text (SH, LO, ST, LT, PN, UC, UT, in items too) is re-encoded in <paramref name="target"/>,
    /// with (0008,0005) set to match; used to merge data sets that arrived in different character sets.
    /// </summary>
    public DicomDataset Transcode(DicomCharacterSet target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Transcode(target, topLevel: true);
    }

    private DicomDataset Transcode(DicomCharacterSet target, bool topLevel)
    {
        var copy = new DicomDataset(target);
        if (topLevel && (target != DicomCharacterSet.Default || Contains(DicomTags.SpecificCharacterSet)))
            copy.AddString(DicomTags.SpecificCharacterSet, DicomVR.CS, target.Term);
        foreach (var element in _elements.Values)
        {
            if (element.Tag == DicomTags.SpecificCharacterSet) continue;
            if (element.VR == DicomVR.SQ)
                copy.Add(new DicomElement(element.Tag, element.Items.Select(i => i.Transcode(target, topLevel: false)).ToArray()));
            else if (DicomVRInfo.UsesSpecificCharacterSet(element.VR) && CharacterSet != target)
                copy.AddString(element.Tag, element.VR, CharacterSet.Encoding.GetString(element.Value.Span).TrimEnd(' ', '\0'));
            else
                copy.Add(element);
        }

        return copy;
    }

    /// <inheritdoc/>
    public IEnumerator<DicomElement> GetEnumerator() => _elements.Values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static double? ParseDecimal(string text)
    {
        var first = text.Split('\\')[0].Trim();
        return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    private string DecodeText(DicomVR vr, ReadOnlySpan<byte> bytes)
    {
        var encoding = DicomVRInfo.UsesSpecificCharacterSet(vr) ? CharacterSet.Encoding : Encoding.Latin1;
        var text = encoding.GetString(bytes);
        // PS3.5 Table 6.2-1: trailing spaces (UI: trailing NUL) are padding; leading spaces are insignificant
        // except for ST, LT, UT and UR.
        text = text.TrimEnd(' ', '\0');
        return DicomVRInfo.KeepsLeadingSpaces(vr) ? text : TrimValues(text);
    }

    private static string TrimValues(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal)) return text.TrimStart(' ');
        var values = text.Split('\\');
        for (var i = 0; i < values.Length; i++) values[i] = values[i].Trim(' ', '\0');
        return string.Join('\\', values);
    }
}
