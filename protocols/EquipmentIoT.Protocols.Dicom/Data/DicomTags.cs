namespace EquipmentIoT.Protocols.Dicom.Data;

/// <summary>The tags the library itself reads and writes (PS3.6, PS3.7 Annex E).</summary>
public static class DicomTags
{
#pragma warning disable CS1591 // Named as PS3.6 names them.
    public static readonly DicomTag CommandGroupLength = new(0x0000, 0x0000);
    public static readonly DicomTag AffectedSOPClassUID = new(0x0000, 0x0002);
    public static readonly DicomTag RequestedSOPClassUID = new(0x0000, 0x0003);
    public static readonly DicomTag CommandField = new(0x0000, 0x0100);
    public static readonly DicomTag MessageID = new(0x0000, 0x0110);
    public static readonly DicomTag MessageIDBeingRespondedTo = new(0x0000, 0x0120);
    public static readonly DicomTag CommandDataSetType = new(0x0000, 0x0800);
    public static readonly DicomTag Status = new(0x0000, 0x0900);
    public static readonly DicomTag OffendingElement = new(0x0000, 0x0901);
    public static readonly DicomTag ErrorComment = new(0x0000, 0x0902);
    public static readonly DicomTag ErrorID = new(0x0000, 0x0903);
    public static readonly DicomTag AffectedSOPInstanceUID = new(0x0000, 0x1000);
    public static readonly DicomTag RequestedSOPInstanceUID = new(0x0000, 0x1001);
    public static readonly DicomTag SpecificCharacterSet = new(0x0008, 0x0005);
    public static readonly DicomTag Modality = new(0x0008, 0x0060);
    public static readonly DicomTag TimezoneOffsetFromUTC = new(0x0008, 0x0201);
    public static readonly DicomTag CodeMeaning = new(0x0008, 0x0104);
    public static readonly DicomTag CodeValue = new(0x0008, 0x0100);
    public static readonly DicomTag CodingSchemeDesignator = new(0x0008, 0x0102);
    public static readonly DicomTag ReferencedImageSequence = new(0x0008, 0x1140);
    public static readonly DicomTag ReferencedSOPClassUID = new(0x0008, 0x1150);
    public static readonly DicomTag ReferencedSOPInstanceUID = new(0x0008, 0x1155);
    public static readonly DicomTag PatientName = new(0x0010, 0x0010);
    public static readonly DicomTag PatientID = new(0x0010, 0x0020);
    public static readonly DicomTag ProtocolName = new(0x0018, 0x1030);
    public static readonly DicomTag SeriesInstanceUID = new(0x0020, 0x000E);
    public static readonly DicomTag StudyInstanceUID = new(0x0020, 0x000D);
    public static readonly DicomTag RequestedProcedureDescription = new(0x0032, 0x1060);
    public static readonly DicomTag ReferencedNonImageCompositeSOPInstanceSequence = new(0x0040, 0x0220);
    public static readonly DicomTag PerformedStationAETitle = new(0x0040, 0x0241);
    public static readonly DicomTag PerformedStationName = new(0x0040, 0x0242);
    public static readonly DicomTag PerformedProcedureStepStartDate = new(0x0040, 0x0244);
    public static readonly DicomTag PerformedProcedureStepStartTime = new(0x0040, 0x0245);
    public static readonly DicomTag PerformedProcedureStepEndDate = new(0x0040, 0x0250);
    public static readonly DicomTag PerformedProcedureStepEndTime = new(0x0040, 0x0251);
    public static readonly DicomTag PerformedProcedureStepStatus = new(0x0040, 0x0252);
    public static readonly DicomTag PerformedProcedureStepID = new(0x0040, 0x0253);
    public static readonly DicomTag PerformedProcedureStepDescription = new(0x0040, 0x0254);
    public static readonly DicomTag PerformedProtocolCodeSequence = new(0x0040, 0x0260);
    public static readonly DicomTag ScheduledStepAttributesSequence = new(0x0040, 0x0270);
    public static readonly DicomTag PerformedSeriesSequence = new(0x0040, 0x0340);
#pragma warning restore CS1591
}
