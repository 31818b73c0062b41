using EquipmentIoT.Protocols.Dicom.Data;

namespace EquipmentIoT.Protocols.Dicom.Dimse;

/// <summary>C-ECHO-RSP (PS3.7 §9.3.5.2, Table 9.3-13).</summary>
public sealed record CEchoResponse(ushort MessageIdBeingRespondedTo, DimseStatus Status, string AffectedSopClassUid = DicomUids.Verification)
    : DimseResponse(MessageIdBeingRespondedTo, Status)
{
    /// <inheritdoc/>
    public override DimseCommandField CommandField => DimseCommandField.CEchoResponse;

    internal override void WriteCommand(DicomDataset command)
    {
        command.AddString(DicomTags.AffectedSOPClassUID, AffectedSopClassUid);
        WriteStatus(command);
    }

    internal static CEchoResponse Read(DicomDataset command) => ReadStatus(
        new CEchoResponse(DimseCommandCodec.Required16(command, DicomTags.MessageIDBeingRespondedTo), new DimseStatus(DimseCommandCodec.Required16(command, DicomTags.Status)),
            command.GetString(DicomTags.AffectedSOPClassUID) ?? DicomUids.Verification), command);
}
