using System.Globalization;
using System.Net;
using EquipmentIoT.Protocols.Dicom;
using EquipmentIoT.Protocols.Dicom.Association;
using EquipmentIoT.Protocols.Dicom.Data;
using EquipmentIoT.Protocols.Dicom.Dimse;
using EquipmentIoT.Simulators.Models;
using EquipmentIoT.Simulators.Simulation;

namespace EquipmentIoT.Simulators.Outputs;

/// <summary>Creates the MPPS SCU a modality reports its exams with.</summary>
public static class MppsOutputs
{
    /// <summary>An SCU calling <see cref="SimulatorOptions.Mpps"/> as <paramref name="callingAeTitle"/>.</summary>
    public static IExamOutput Create(SimulatorOptions options, string callingAeTitle)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (host, port) = ParseHostPort(options.Mpps ?? throw new ArgumentException("no MPPS address", nameof(options)));
        return new MppsExamOutput(host, port, new DicomClientOptions { CallingAeTitle = callingAeTitle, CalledAeTitle = options.CalledAeTitle });
    }

    /// <summary>Parses HOST:PORT.</summary>
    public static (string Host, int Port) ParseHostPort(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new FormatException($"--mpps '{text}' is not HOST:PORT");
        return (text[..colon], port);
    }
}

/// <summary>
/// The modality's MPPS SCU: one association per message, as most modalities do — N-CREATE (IN PROGRESS) when an
/// exam starts, N-SET (COMPLETED or DISCONTINUED, with the series, images and dose) when it ends. Patient
/// values are the simulator's invented ones, names Chinese or Latin, sent in UTF-8 (ISO_IR 192).
/// </summary>
public sealed class MppsExamOutput(string host, int port, DicomClientOptions client) : IExamOutput
{
    private static readonly DicomTag PatientBirthDate = DicomDictionary.TagOf("PatientBirthDate");
    private static readonly DicomTag AccessionNumber = DicomDictionary.TagOf("AccessionNumber");
    private static readonly DicomTag CtdiVol = DicomDictionary.TagOf("CTDIvol");
    private static readonly DicomTag CommentsOnRadiationDose = DicomDictionary.TagOf("CommentsOnRadiationDose");

    /// <inheritdoc/>
    public async Task ReportAsync(Exam exam, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exam);
        var started = exam.Outcome == ExamOutcome.InProgress;
        await using var association = await DicomClient.ConnectAsync(host, port, client, [DicomUids.ModalityPerformedProcedureStep], TimeProvider.System, cancellationToken).ConfigureAwait(false);
        DimseStatus status;
        if (started)
        {
            var response = await association.CreateAsync(DicomUids.ModalityPerformedProcedureStep, exam.SopInstanceUid, Creation(exam, client.CallingAeTitle), cancellationToken).ConfigureAwait(false);
            status = response.Status;
        }
        else
        {
            var response = await association.SetAsync(DicomUids.ModalityPerformedProcedureStep, exam.SopInstanceUid, Completion(exam), cancellationToken).ConfigureAwait(false);
            status = response.Status;
        }

        await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        if (status != DimseStatus.Success)
            throw new ExamRefusedException($"MPPS {(started ? "N-CREATE" : "N-SET")} answered 0x{status.Code:X4}");
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static DicomDataset Creation(Exam exam, string station)
    {
        var step = new DicomDataset(DicomCharacterSet.Utf8).AddString(DicomTags.SpecificCharacterSet, "ISO_IR 192")
            .AddString(DicomTags.PatientName, exam.PatientName)
            .AddString(DicomTags.PatientID, exam.PatientId)
            .AddString(PatientBirthDate, exam.PatientBirthDate)
            .AddString(DicomTags.Modality, exam.Modality)
            .AddString(DicomTags.PerformedProcedureStepID, exam.AccessionNumber[^6..])
            .AddString(DicomTags.PerformedStationAETitle, station)
            .AddString(DicomTags.PerformedStationName, station)
            .AddString(DicomTags.PerformedProcedureStepStartDate, Date(exam.Start))
            .AddString(DicomTags.PerformedProcedureStepStartTime, Time(exam.Start))
            .AddString(DicomTags.PerformedProcedureStepStatus, "IN PROGRESS")
            .AddString(DicomTags.PerformedProcedureStepDescription, exam.ProcedureDescription);
        step.AddSequence(DicomTags.ScheduledStepAttributesSequence, new DicomDataset(DicomCharacterSet.Utf8)
            .AddString(AccessionNumber, exam.AccessionNumber)
            .AddString(DicomTags.StudyInstanceUID, exam.SopInstanceUid + ".1")
            .AddString(DicomTags.RequestedProcedureDescription, exam.ProcedureDescription));
        return step;
    }

    private static DicomDataset Completion(Exam exam)
    {
        var end = exam.End ?? exam.Start;
        var set = new DicomDataset()
            .AddString(DicomTags.PerformedProcedureStepStatus, exam.Outcome == ExamOutcome.Completed ? "COMPLETED" : "DISCONTINUED")
            .AddString(DicomTags.PerformedProcedureStepEndDate, Date(end))
            .AddString(DicomTags.PerformedProcedureStepEndTime, Time(end));
        var series = new List<DicomDataset>();
        for (var s = 0; s < exam.Series; s++)
        {
            var images = exam.Images / Math.Max(1, exam.Series) + (s < exam.Images % Math.Max(1, exam.Series) ? 1 : 0);
            var refs = Enumerable.Range(1, images).Select(i => new DicomDataset()
                .AddString(DicomTags.ReferencedSOPClassUID, exam.Modality == "MR" ? "1.2.840.10008.5.1.4.1.1.4" : "1.2.840.10008.5.1.4.1.1.2")
                .AddString(DicomTags.ReferencedSOPInstanceUID, string.Create(CultureInfo.InvariantCulture, $"{exam.SopInstanceUid}.{s + 1}.{i}"))).ToArray();
            series.Add(new DicomDataset()
                .AddString(DicomTags.SeriesInstanceUID, string.Create(CultureInfo.InvariantCulture, $"{exam.SopInstanceUid}.{s + 1}"))
                .AddString(DicomTags.ProtocolName, exam.ProtocolName)
                .AddSequence(DicomTags.ReferencedImageSequence, refs));
        }

        set.AddSequence(DicomTags.PerformedSeriesSequence, [.. series]);
        if (exam.CtdiVol is { } ctdi) set.AddFloat64(CtdiVol, ctdi);
        if (exam.Dlp is { } dlp) set.AddString(CommentsOnRadiationDose, string.Create(CultureInfo.InvariantCulture, $"DLP {dlp:0.#} mGy.cm"));
        return set;
    }

    private static string Date(DateTimeOffset t) => t.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset t) => t.ToString("HHmmss", CultureInfo.InvariantCulture);
}
