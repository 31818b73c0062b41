using EquipmentIoT.Protocols.Dicom.Data;

namespace EquipmentIoT.Protocols.Dicom.Dimse;

/// <summary>N-CREATE-RSP (PS3.7 §10.3.5.2, Table 10.3-10).</summary>
public sealed record NCreateResponse(ushort MessageIdBeingRespondedTo, DimseStatus Status, string AffectedSopClassUid, string? AffectedSopInstanceUid)
    : DimseResponse(MessageIdBeingRespondedTo, Status)
{
    /// <inheritdoc/>
    public override DimseCommandField CommandField => DimseCommandField.NCreateResponse;

    internal override void WriteCommand(DicomDataset command)
    {
        command.AddString(DicomTags.AffectedSOPClassUID, AffectedSopClassUid);
        WriteStatus(command);
        if (AffectedSopInstanceUid is not null) command.AddString(DicomTags.AffectedSOPInstanceUID, AffectedSopInstanceUid);
    }

    internal static NCreateResponse Read(DicomDataset command) => ReadStatus(new NCreateResponse(
        DimseCommandCodec.Required16(command, DicomTags.MessageIDBeingRespondedTo),
        new DimseStatus(DimseCommandCodec.Required16(command, DicomTags.Status)),
        command.GetString(DicomTags.AffectedSOPClassUID) ?? "",
        command.GetString(DicomTags.AffectedSOPInstanceUID)), command);
}
