using EquipmentIoT.Protocols.Dicom.Data;

namespace EquipmentIoT.Bench.Mpps;

/// <summary>The two MPPS messages of one CT exam, as a scanner sends them (PS3.4 F.7.2, PS3.3 C.4.13–C.4.14).</summary>
internal static class ExamDatasets
{
    /// <summary>The N-CREATE attributes: the step begins, IN PROGRESS, with the patient's name (which the scrubber removes).</summary>
    public static DicomDataset InProgress(string station, int exam)
    {
        var step = new DicomDataset(DicomCharacterSet.Utf8)
            .AddString(DicomTags.SpecificCharacterSet, "ISO_IR 192")
            .AddString(DicomTags.PatientName, "Bench^Patient")
            .AddString(DicomTags.Modality, "CT")
            .AddString(DicomTags.PerformedProcedureStepID, $"B{exam}")
            .AddString(DicomTags.PerformedStationAETitle, station)
            .AddString(DicomTags.PerformedProcedureStepStartDate, "20261202")
            .AddString(DicomTags.PerformedProcedureStepStartTime, "101500")
            .AddString(DicomTags.PerformedProcedureStepStatus, "IN PROGRESS");
        step.AddSequence(DicomTags.ScheduledStepAttributesSequence,
            new DicomDataset(DicomCharacterSet.Utf8).AddString(DicomTags.StudyInstanceUID, $"1.2.826.0.1.3680043.2.1143.8.{exam}"));
        return step;
    }

    /// <summary>The N-SET that completes it, with a series of <paramref name="images"/> CT images.</summary>
    public static DicomDataset Completed(int exam, int images)
    {
        var series = $"1.2.826.0.1.3680043.2.1143.7.{exam}";
        var imageRefs = new DicomDataset[images];
        for (var i = 0; i < images; i++)
        {
            imageRefs[i] = new DicomDataset()
                .AddString(DicomTags.ReferencedSOPClassUID, "1.2.840.10008.5.1.4.1.1.2") // CT Image Storage
                .AddString(DicomTags.ReferencedSOPInstanceUID, $"{series}.{i + 1}");
        }

        var set = new DicomDataset()
            .AddString(DicomTags.PerformedProcedureStepStatus, "COMPLETED")
            .AddString(DicomTags.PerformedProcedureStepEndDate, "20261202")
            .AddString(DicomTags.PerformedProcedureStepEndTime, "102000");
        set.AddSequence(DicomTags.PerformedSeriesSequence,
            new DicomDataset().AddString(DicomTags.SeriesInstanceUID, series).AddSequence(DicomTags.ReferencedImageSequence, imageRefs));
        return set;
    }
}
