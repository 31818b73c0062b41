using EquipmentIoT.Protocols.Dicom.Data;

namespace EquipmentIoT.Protocols.Dicom.Dimse;

/// <summary>
/// N-CREATE-RQ (PS3.7 §10.3.5.1, Table 10.3-9): Affected SOP Class UID, and the Affected SOP Instance UID
/// when the SCU chooses it (MPPS SCUs do, PS3.4 F.7.2.1.1); the attribute list is the data set.
/// </summary>
public sealed record NCreateRequest(ushort MessageId, string AffectedSopClassUid, string? AffectedSopInstanceUid) : DimseRequest(MessageId)
{
    /// <inheritdoc/>
    public override DimseCommandField CommandField => DimseCommandField.NCreateRequest;

    internal override void WriteCommand(DicomDataset command)
    {
        command.AddString(DicomTags.AffectedSOPClassUID, AffectedSopClassUid);
        command.AddUInt16(DicomTags.MessageID, MessageId);
        if (AffectedSopInstanceUid is not null) command.AddString(DicomTags.AffectedSOPInstanceUID, AffectedSopInstanceUid);
    }

    internal static NCreateRequest Read(DicomDataset command) => new(
        DimseCommandCodec.Required16(command, DicomTags.MessageID),
        DimseCommandCodec.RequiredUid(command, DicomTags.AffectedSOPClassUID),
        command.GetString(DicomTags.AffectedSOPInstanceUID) is { Length: > 0 } uid ? uid : null);
}
