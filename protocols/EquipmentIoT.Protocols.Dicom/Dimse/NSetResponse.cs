using EquipmentIoT.Protocols.Dicom.Data;

namespace EquipmentIoT.Protocols.Dicom.Dimse;

/// <summary>N-SET-RSP (PS3.7 §10.3.3.2, Table 10.3-6).</summary>
public sealed record NSetResponse(ushort MessageIdBeingRespondedTo, DimseStatus Status, string AffectedSopClassUid, string? AffectedSopInstanceUid)
    : DimseResponse(MessageIdBeingRespondedTo, Status)
{
    /// <inheritdoc/>
    public override DimseCommandField CommandField => DimseCommandField.NSetResponse;

    internal override void WriteCommand(DicomDataset command)
    {
        command.AddString(DicomTags.AffectedSOPClassUID, AffectedSopClassUid);
        WriteStatus(command);
        if (AffectedSopInstanceUid is not null) command.AddString(DicomTags.AffectedSOPInstanceUID, AffectedSopInstanceUid);
    }

    internal static NSetResponse Read(DicomDataset command) => ReadStatus(new NSetResponse(
        DimseCommandCodec.Required16(command, DicomTags.MessageIDBeingRespondedTo),
        new DimseStatus(DimseCommandCodec.Required16(command, DicomTags.Status)),
        command.GetString(DicomTags.AffectedSOPClassUID) ?? "",
        command.GetString(DicomTags.AffectedSOPInstanceUID)), command);
}
