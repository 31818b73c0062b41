namespace EquipmentIoT.Protocols.Dicom.Pdu;

/// <summary>P-DATA-TF (PS3.8 §9.3.5): one or more presentation data values.</summary>
public sealed record PDataTfPdu(IReadOnlyList<PresentationDataValue> Values) : DicomPdu
{
    /// <inheritdoc/>
    public override PduType Type => PduType.PData;
}

/// <summary>
/// One presentation data value item (PS3.8 §9.3.5.1): the presentation context, the message control
/// header (Annex E.2: bit 0 command/data set, bit 1 last fragment) and a fragment of a DIMSE message.
/// </summary>
public readonly record struct PresentationDataValue(byte PresentationContextId, bool IsCommand, bool IsLast, ReadOnlyMemory<byte> Data)
{
    /// <summary>Bytes a PDV item adds to its fragment: item length (4), context id (1), control header (1).</summary>
    public const int Overhead = 6;
}
