namespace EquipmentIoT.Protocols.Dicom.Data;

/// <summary>
/// One data element (PS3.5 §7.1): tag, VR and either the value bytes (little endian, padded to even length)
/// or, for SQ, the items. Text is decoded by <see cref="DicomDataset"/>, which knows the character set.
/// </summary>
public sealed class DicomElement
{
    /// <summary>An element with a value.</summary>
    public DicomElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value)
    {
        if (vr == DicomVR.SQ) throw new ArgumentException("a sequence holds items, not bytes", nameof(vr));
        Tag = tag;
        VR = vr;
        Value = value;
        Items = [];
    }

    /// <summary>A sequence (SQ) element.</summary>
    public DicomElement(DicomTag tag, IReadOnlyList<DicomDataset> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        Tag = tag;
        VR = DicomVR.SQ;
        Items = items;
    }

    /// <summary>The tag.</summary>
    public DicomTag Tag { get; }

    /// <summary>The value representation.</summary>
    public DicomVR VR { get; }

    /// <summary>The value bytes (empty for SQ and for an empty value).</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>The items of a sequence (empty for other VRs).</summary>
    public IReadOnlyList<DicomDataset> Items { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Tag} {DicomVRInfo.Code(VR)} " + (VR == DicomVR.SQ ? $"{Items.Count} items" : $"{Value.Length} bytes");
}
