using EquipmentIoT.Protocols.Dicom.Data;

namespace EquipmentIoT.Protocols.Dicom.Dimse;

/// <summary>N-SET-RQ (PS3.7 §10.3.3.1, Table 10.3-5): Requested SOP Class and Instance UIDs; the modification list is the data set.</summary>
public sealed record NSetRequest(ushort MessageId, string RequestedSopClassUid, string RequestedSopInstanceUid) : DimseRequest(MessageId)
{
    /// <inheritdoc/>
    public override DimseCommandField CommandField => DimseCommandField.NSetRequest;

    internal override void WriteCommand(DicomDataset command)
    {
        command.AddString(DicomTags.RequestedSOPClassUID, RequestedSopClassUid);
        command.AddUInt16(DicomTags.MessageID, MessageId);
        command.AddString(DicomTags.RequestedSOPInstanceUID, RequestedSopInstanceUid);
    }

    internal static NSetRequest Read(DicomDataset command) => new(
        DimseCommandCodec.Required16(command, DicomTags.MessageID),
        DimseCommandCodec.RequiredUid(command, DicomTags.RequestedSOPClassUID),
        DimseCommandCodec.RequiredUid(command, DicomTags.RequestedSOPInstanceUID));
}
