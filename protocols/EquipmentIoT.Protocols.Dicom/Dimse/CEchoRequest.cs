using EquipmentIoT.Protocols.Dicom.Data;

namespace EquipmentIoT.Protocols.Dicom.Dimse;

/// <summary>C-ECHO-RQ (PS3.7 §9.3.5.1, Table 9.3-12).</summary>
public sealed record CEchoRequest(ushort MessageId, string AffectedSopClassUid = DicomUids.Verification) : DimseRequest(MessageId)
{
    /// <inheritdoc/>
    public override DimseCommandField CommandField => DimseCommandField.CEchoRequest;

    internal override void WriteCommand(DicomDataset command)
    {
        command.AddString(DicomTags.AffectedSOPClassUID, AffectedSopClassUid);
        command.AddUInt16(DicomTags.MessageID, MessageId);
    }

    internal static CEchoRequest Read(DicomDataset command) =>
        new(DimseCommandCodec.Required16(command, DicomTags.MessageID), DimseCommandCodec.RequiredUid(command, DicomTags.AffectedSOPClassUID));
}
