using System.Collections.Frozen;

namespace EquipmentIoT.Protocols.Dicom.Data;

/// <summary>One entry of the data dictionary: tag, VR and keyword as PS3.6 lists them.</summary>
public sealed record DicomDictionaryEntry(DicomTag Tag, DicomVR VR, string Keyword);

/// <summary>
/// A small data dictionary (PS3.6 Tables 6-1 and E.1-1): the command group (PS3.7 §E.1) and every attribute
/// of the Modality Performed Procedure Step IOD (PS3.4 Table F.7.2-1; PS3.3 C.4.13–C.4.17 with the Code
/// Sequence and SOP Instance Reference macros), plus a few common ones. Enough to read these in Implicit
/// VR, where the dictionary is the only source of the VR; any other tag reads as UN.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "PS3.6 calls it the Data Dictionary.")]
public static class DicomDictionary
{
    private static readonly DicomDictionaryEntry[] All =
    [
        // Command group (PS3.7 Table E.1-1)
        E(0x0000, 0x0000, DicomVR.UL, "CommandGroupLength"),
        E(0x0000, 0x0002, DicomVR.UI, "AffectedSOPClassUID"),
        E(0x0000, 0x0003, DicomVR.UI, "RequestedSOPClassUID"),
        E(0x0000, 0x0100, DicomVR.US, "CommandField"),
        E(0x0000, 0x0110, DicomVR.US, "MessageID"),
        E(0x0000, 0x0120, DicomVR.US, "MessageIDBeingRespondedTo"),
        E(0x0000, 0x0600, DicomVR.AE, "MoveDestination"),
        E(0x0000, 0x0700, DicomVR.US, "Priority"),
        E(0x0000, 0x0800, DicomVR.US, "CommandDataSetType"),
        E(0x0000, 0x0900, DicomVR.US, "Status"),
        E(0x0000, 0x0901, DicomVR.AT, "OffendingElement"),
        E(0x0000, 0x0902, DicomVR.LO, "ErrorComment"),
        E(0x0000, 0x0903, DicomVR.US, "ErrorID"),
        E(0x0000, 0x1000, DicomVR.UI, "AffectedSOPInstanceUID"),
        E(0x0000, 0x1001, DicomVR.UI, "RequestedSOPInstanceUID"),
        E(0x0000, 0x1002, DicomVR.US, "EventTypeID"),
        E(0x0000, 0x1005, DicomVR.AT, "AttributeIdentifierList"),
        E(0x0000, 0x1008, DicomVR.US, "ActionTypeID"),

        // SOP Common (PS3.3 C.12.1) and general
        E(0x0008, 0x0005, DicomVR.CS, "SpecificCharacterSet"),
        E(0x0008, 0x0012, DicomVR.DA, "InstanceCreationDate"),
        E(0x0008, 0x0013, DicomVR.TM, "InstanceCreationTime"),
        E(0x0008, 0x0014, DicomVR.UI, "InstanceCreatorUID"),
        E(0x0008, 0x0016, DicomVR.UI, "SOPClassUID"),
        E(0x0008, 0x0018, DicomVR.UI, "SOPInstanceUID"),
        E(0x0008, 0x0020, DicomVR.DA, "StudyDate"),
        E(0x0008, 0x0030, DicomVR.TM, "StudyTime"),
        E(0x0008, 0x0050, DicomVR.SH, "AccessionNumber"),
        E(0x0008, 0x0051, DicomVR.SQ, "IssuerOfAccessionNumberSequence"),
        E(0x0008, 0x0054, DicomVR.AE, "RetrieveAETitle"),
        E(0x0008, 0x0060, DicomVR.CS, "Modality"),
        E(0x0008, 0x0070, DicomVR.LO, "Manufacturer"),
        E(0x0008, 0x0080, DicomVR.LO, "InstitutionName"),
        E(0x0008, 0x0090, DicomVR.PN, "ReferringPhysicianName"),
        E(0x0008, 0x0100, DicomVR.SH, "CodeValue"),
        E(0x0008, 0x0102, DicomVR.SH, "CodingSchemeDesignator"),
        E(0x0008, 0x0103, DicomVR.SH, "CodingSchemeVersion"),
        E(0x0008, 0x0104, DicomVR.LO, "CodeMeaning"),
        E(0x0008, 0x0119, DicomVR.UC, "LongCodeValue"),
        E(0x0008, 0x0120, DicomVR.UR, "URNCodeValue"),
        E(0x0008, 0x0201, DicomVR.SH, "TimezoneOffsetFromUTC"),
        E(0x0008, 0x1010, DicomVR.SH, "StationName"),
        E(0x0008, 0x1030, DicomVR.LO, "StudyDescription"),
        E(0x0008, 0x1032, DicomVR.SQ, "ProcedureCodeSequence"),
        E(0x0008, 0x103E, DicomVR.LO, "SeriesDescription"),
        E(0x0008, 0x1040, DicomVR.LO, "InstitutionalDepartmentName"),
        E(0x0008, 0x1050, DicomVR.PN, "PerformingPhysicianName"),
        E(0x0008, 0x1052, DicomVR.SQ, "PerformingPhysicianIdentificationSequence"),
        E(0x0008, 0x1070, DicomVR.PN, "OperatorsName"),
        E(0x0008, 0x1072, DicomVR.SQ, "OperatorIdentificationSequence"),
        E(0x0008, 0x1090, DicomVR.LO, "ManufacturerModelName"),
        E(0x0008, 0x1110, DicomVR.SQ, "ReferencedStudySequence"),
        E(0x0008, 0x1120, DicomVR.SQ, "ReferencedPatientSequence"),
        E(0x0008, 0x1140, DicomVR.SQ, "ReferencedImageSequence"),
        E(0x0008, 0x1150, DicomVR.UI, "ReferencedSOPClassUID"),
        E(0x0008, 0x1155, DicomVR.UI, "ReferencedSOPInstanceUID"),
        E(0x0008, 0x2229, DicomVR.SQ, "AnatomicStructureSpaceOrRegionSequence"),

        // Patient (C.4.13 Performed Procedure Step Relationship)
        E(0x0010, 0x0010, DicomVR.PN, "PatientName"),
        E(0x0010, 0x0020, DicomVR.LO, "PatientID"),
        E(0x0010, 0x0021, DicomVR.LO, "IssuerOfPatientID"),
        E(0x0010, 0x0024, DicomVR.SQ, "IssuerOfPatientIDQualifiersSequence"),
        E(0x0010, 0x0030, DicomVR.DA, "PatientBirthDate"),
        E(0x0010, 0x0040, DicomVR.CS, "PatientSex"),
        E(0x0010, 0x1000, DicomVR.LO, "OtherPatientIDs"),
        E(0x0010, 0x1002, DicomVR.SQ, "OtherPatientIDsSequence"),
        E(0x0010, 0x1010, DicomVR.AS, "PatientAge"),
        E(0x0010, 0x1020, DicomVR.DS, "PatientSize"),
        E(0x0010, 0x1030, DicomVR.DS, "PatientWeight"),

        // Acquisition and dose (C.4.15, C.4.16)
        E(0x0018, 0x0060, DicomVR.DS, "KVP"),
        E(0x0018, 0x1030, DicomVR.LO, "ProtocolName"),
        E(0x0018, 0x1110, DicomVR.DS, "DistanceSourceToDetector"),
        E(0x0018, 0x1150, DicomVR.IS, "ExposureTime"),
        E(0x0018, 0x115A, DicomVR.CS, "RadiationMode"),
        E(0x0018, 0x115E, DicomVR.DS, "ImageAndFluoroscopyAreaDoseProduct"),
        E(0x0018, 0x7050, DicomVR.CS, "FilterMaterial"),
        E(0x0018, 0x7052, DicomVR.DS, "FilterThicknessMinimum"),
        E(0x0018, 0x7054, DicomVR.DS, "FilterThicknessMaximum"),
        E(0x0018, 0x8151, DicomVR.DS, "XRayTubeCurrentInuA"),
        E(0x0018, 0x9345, DicomVR.FD, "CTDIvol"),
        E(0x0018, 0x9346, DicomVR.SQ, "CTDIPhantomTypeCodeSequence"),

        // Study and series
        E(0x0020, 0x000D, DicomVR.UI, "StudyInstanceUID"),
        E(0x0020, 0x000E, DicomVR.UI, "SeriesInstanceUID"),
        E(0x0020, 0x0010, DicomVR.SH, "StudyID"),
        E(0x0032, 0x1060, DicomVR.LO, "RequestedProcedureDescription"),
        E(0x0032, 0x1064, DicomVR.SQ, "RequestedProcedureCodeSequence"),

        // Visit
        E(0x0038, 0x0010, DicomVR.LO, "AdmissionID"),
        E(0x0038, 0x0014, DicomVR.SQ, "IssuerOfAdmissionIDSequence"),
        E(0x0038, 0x0060, DicomVR.LO, "ServiceEpisodeID"),
        E(0x0038, 0x0062, DicomVR.LO, "ServiceEpisodeDescription"),
        E(0x0038, 0x0064, DicomVR.SQ, "IssuerOfServiceEpisodeIDSequence"),

        // Scheduled and performed procedure step (C.4.13, C.4.14, C.4.15, C.4.16, C.4.17)
        E(0x0040, 0x0007, DicomVR.LO, "ScheduledProcedureStepDescription"),
        E(0x0040, 0x0008, DicomVR.SQ, "ScheduledProtocolCodeSequence"),
        E(0x0040, 0x0009, DicomVR.SH, "ScheduledProcedureStepID"),
        E(0x0040, 0x0220, DicomVR.SQ, "ReferencedNonImageCompositeSOPInstanceSequence"),
        E(0x0040, 0x0241, DicomVR.AE, "PerformedStationAETitle"),
        E(0x0040, 0x0242, DicomVR.SH, "PerformedStationName"),
        E(0x0040, 0x0243, DicomVR.SH, "PerformedLocation"),
        E(0x0040, 0x0244, DicomVR.DA, "PerformedProcedureStepStartDate"),
        E(0x0040, 0x0245, DicomVR.TM, "PerformedProcedureStepStartTime"),
        E(0x0040, 0x0250, DicomVR.DA, "PerformedProcedureStepEndDate"),
        E(0x0040, 0x0251, DicomVR.TM, "PerformedProcedureStepEndTime"),
        E(0x0040, 0x0252, DicomVR.CS, "PerformedProcedureStepStatus"),
        E(0x0040, 0x0253, DicomVR.SH, "PerformedProcedureStepID"),
        E(0x0040, 0x0254, DicomVR.LO, "PerformedProcedureStepDescription"),
        E(0x0040, 0x0255, DicomVR.LO, "PerformedProcedureTypeDescription"),
        E(0x0040, 0x0260, DicomVR.SQ, "PerformedProtocolCodeSequence"),
        E(0x0040, 0x0270, DicomVR.SQ, "ScheduledStepAttributesSequence"),
        E(0x0040, 0x0280, DicomVR.ST, "CommentsOnThePerformedProcedureStep"),
        E(0x0040, 0x0281, DicomVR.SQ, "PerformedProcedureStepDiscontinuationReasonCodeSequence"),
        E(0x0040, 0x0293, DicomVR.SQ, "QuantitySequence"),
        E(0x0040, 0x0294, DicomVR.DS, "Quantity"),
        E(0x0040, 0x0295, DicomVR.SQ, "MeasuringUnitsSequence"),
        E(0x0040, 0x0296, DicomVR.SQ, "BillingItemSequence"),
        E(0x0040, 0x0300, DicomVR.US, "TotalTimeOfFluoroscopy"),
        E(0x0040, 0x0301, DicomVR.US, "TotalNumberOfExposures"),
        E(0x0040, 0x0302, DicomVR.US, "EntranceDose"),
        E(0x0040, 0x0303, DicomVR.US, "ExposedArea"),
        E(0x0040, 0x0306, DicomVR.DS, "DistanceSourceToEntrance"),
        E(0x0040, 0x030E, DicomVR.SQ, "ExposureDoseSequence"),
        E(0x0040, 0x0310, DicomVR.ST, "CommentsOnRadiationDose"),
        E(0x0040, 0x0320, DicomVR.SQ, "BillingProcedureStepSequence"),
        E(0x0040, 0x0321, DicomVR.SQ, "FilmConsumptionSequence"),
        E(0x0040, 0x0324, DicomVR.SQ, "BillingSuppliesAndDevicesSequence"),
        E(0x0040, 0x0340, DicomVR.SQ, "PerformedSeriesSequence"),
        E(0x0040, 0x0440, DicomVR.SQ, "ProtocolContextSequence"),
        E(0x0040, 0x1001, DicomVR.SH, "RequestedProcedureID"),
        E(0x0040, 0x2016, DicomVR.LO, "PlacerOrderNumberImagingServiceRequest"),
        E(0x0040, 0x2017, DicomVR.LO, "FillerOrderNumberImagingServiceRequest"),
        E(0x0040, 0x8302, DicomVR.DS, "EntranceDoseInmGy"),
        E(0x2000, 0x0030, DicomVR.CS, "MediumType"),
        E(0x2010, 0x0050, DicomVR.CS, "FilmSizeID"),
        E(0x2100, 0x0170, DicomVR.IS, "NumberOfFilms"),
    ];

    private static readonly FrozenDictionary<DicomTag, DicomDictionaryEntry> ByTag = All.ToFrozenDictionary(e => e.Tag);

    private static readonly FrozenDictionary<string, DicomDictionaryEntry> ByKeyword =
        All.ToFrozenDictionary(e => e.Keyword, StringComparer.Ordinal);

    /// <summary>Every entry, in tag order.</summary>
    public static IReadOnlyList<DicomDictionaryEntry> Entries => All;

    /// <summary>The entry of <paramref name="tag"/>, or null when the dictionary does not know it.</summary>
    public static DicomDictionaryEntry? Find(DicomTag tag) => ByTag.GetValueOrDefault(tag);

    /// <summary>The entry of a keyword (case-sensitive, as PS3.6 spells it), or null.</summary>
    public static DicomDictionaryEntry? Find(string keyword) => ByKeyword.GetValueOrDefault(keyword);

    /// <summary>The tag of a keyword the dictionary knows.</summary>
    /// <exception cref="KeyNotFoundException">Unknown keyword.</exception>
    public static DicomTag TagOf(string keyword) => ByKeyword.TryGetValue(keyword, out var e) ? e.Tag : throw new KeyNotFoundException($"keyword '{keyword}' is not in the dictionary");

    /// <summary>The VR an Implicit VR reader gives <paramref name="tag"/>: the dictionary's, group lengths UL, else UN (PS3.5 §6.2.2).</summary>
    public static DicomVR ImplicitVR(DicomTag tag) =>
        ByTag.TryGetValue(tag, out var e) ? e.VR
        : tag.Element == 0x0000 ? DicomVR.UL // group length (gggg,0000), PS3.5 §7.2
        : DicomVR.UN;

    private static DicomDictionaryEntry E(ushort group, ushort element, DicomVR vr, string keyword) => new(new DicomTag(group, element), vr, keyword);
}
