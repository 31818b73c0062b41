using EquipmentIoT.Protocols.Dicom.Data;

namespace EquipmentIoT.Protocols.Dicom.Dimse;

/// <summary>
/// A request whose command field this library does not implement (N-GET, C-STORE, …). The SCP answers it
/// with the matching response command field and status 0211 (unrecognized operation, PS3.7 C.5.5).
/// </summary>
public sealed record UnrecognizedRequest(ushort MessageId, ushort RawCommandField, string? SopClassUid) : DimseRequest(MessageId)
{
    /// <inheritdoc/>
    public override DimseCommandField CommandField => (DimseCommandField)RawCommandField;

    internal override void WriteCommand(DicomDataset command) => command.AddUInt16(DicomTags.MessageID, MessageId);
}

/// <summary>The response to an <see cref="UnrecognizedRequest"/>: its command field with bit 15 set, status 0211.</summary>
public sealed record UnrecognizedResponse(ushort MessageIdBeingRespondedTo, ushort RawCommandField, string? AffectedSopClassUid)
    : DimseResponse(MessageIdBeingRespondedTo, DimseStatus.UnrecognizedOperation)
{
    /// <inheritdoc/>
    public override DimseCommandField CommandField => (DimseCommandField)(RawCommandField | 0x8000);

    internal override void WriteCommand(DicomDataset command)
    {
        if (AffectedSopClassUid is not null) command.AddString(DicomTags.AffectedSOPClassUID, AffectedSopClassUid);
        WriteStatus(command);
    }
}
