using EquipmentIoT.EdgeAgent.Adapters.Mpps;
using EquipmentIoT.Protocols.Dicom.Data;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Tests.Adapters.Mpps;

public sealed class MppsEventMapperTests
{
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    [Theory]
    [InlineData("20260715", "101530", "2026-07-15T10:15:30+02:00")]        // summer time
    [InlineData("20261202", "101530.25", "2026-12-02T10:15:30.25+01:00")]  // winter, fraction
    [InlineData("20261202", "10", "2026-12-02T10:00:00+01:00")]            // HH only
    [InlineData("20261202", "1015", "2026-12-02T10:15:00+01:00")]          // HHMM
    [InlineData("2026.12.02", "10:15:30", "2026-12-02T10:15:30+01:00")]    // retired ACR-NEMA forms
    [InlineData("20261202", "", "2026-12-02T00:00:00+01:00")]              // no time
    public void Instant_DicomDateAndTime_InSiteZone(string date, string time, string expected)
    {
        var step = new DicomDataset().AddString(DicomTags.PerformedProcedureStepStartDate, date);
        if (time.Length > 0) step.AddString(DicomTags.PerformedProcedureStepStartTime, time);
        var instant = MppsEventMapper.Instant(step, DicomTags.PerformedProcedureStepStartDate, DicomTags.PerformedProcedureStepStartTime, Berlin);
        Assert.Equal(expected, NodaTime.Text.OffsetDateTimePattern.Rfc3339.Format(instant!.Value));
    }

    [Theory]
    [InlineData("2026120", "1015")]
    [InlineData("20261302", "1015")]
    [InlineData("20261202", "2515")]
    [InlineData("20261202", "10153")]
    [InlineData("20261202", "101530.1234567")]
    public void Instant_Unreadable_IsNull(string date, string time)
    {
        var step = new DicomDataset().AddString(DicomTags.PerformedProcedureStepStartDate, date).AddString(DicomTags.PerformedProcedureStepStartTime, time);
        Assert.Null(MppsEventMapper.Instant(step, DicomTags.PerformedProcedureStepStartDate, DicomTags.PerformedProcedureStepStartTime, Berlin));
    }

    [Fact]
    public void Instant_TimezoneOffsetFromUtc_WinsOverSiteZone()
    {
        var step = new DicomDataset().AddString(DicomTags.PerformedProcedureStepStartDate, "20261202")
            .AddString(DicomTags.PerformedProcedureStepStartTime, "101530").AddString(DicomTags.TimezoneOffsetFromUTC, "+0800");
        var instant = MppsEventMapper.Instant(step, DicomTags.PerformedProcedureStepStartDate, DicomTags.PerformedProcedureStepStartTime, Berlin);
        Assert.Equal(Offset.FromHours(8), instant!.Value.Offset);
    }

    [Fact]
    public void Map_CompletedStep_CarriesCountsDoseAndNoPatientData()
    {
        var step = new DicomDataset(DicomCharacterSet.Utf8).AddString(DicomTags.SpecificCharacterSet, "ISO_IR 192")
            .AddString(DicomTags.PatientName, "Doe^Jane")
            .AddString(DicomTags.PatientID, "MRN77")
            .AddString(DicomDictionary.TagOf("PatientBirthDate"), "19700101")
            .AddString(DicomTags.Modality, "XA")
            .AddString(DicomTags.PerformedProcedureStepStatus, "COMPLETED")
            .AddString(DicomTags.PerformedProcedureStepDescription, "Angio for Jane Doe MRN77")
            .AddString(DicomTags.PerformedProcedureStepStartDate, "20261202").AddString(DicomTags.PerformedProcedureStepStartTime, "100000")
            .AddString(DicomTags.PerformedProcedureStepEndDate, "20261202").AddString(DicomTags.PerformedProcedureStepEndTime, "103000")
            .AddUInt16(DicomDictionary.TagOf("TotalTimeOfFluoroscopy"), 420)
            .AddString(DicomDictionary.TagOf("EntranceDoseInmGy"), "310.5")
            .AddString(DicomDictionary.TagOf("ImageAndFluoroscopyAreaDoseProduct"), "35.2");
        step.AddSequence(DicomTags.PerformedSeriesSequence,
            new DicomDataset().AddString(DicomTags.ProtocolName, "Coronary").AddSequence(DicomTags.ReferencedImageSequence, new DicomDataset(), new DicomDataset()),
            new DicomDataset().AddSequence(DicomTags.ReferencedImageSequence, new DicomDataset())
                .AddSequence(DicomTags.ReferencedNonImageCompositeSOPInstanceSequence, new DicomDataset()));
        step.AddSequence(DicomDictionary.TagOf("PerformedProcedureStepDiscontinuationReasonCodeSequence"),
            new DicomDataset().AddString(DicomTags.CodeValue, "110514").AddString(DicomTags.CodeMeaning, "Incorrect worklist entry selected"));

        var data = MppsEventMapper.Map("1.2.3", step, new MppsProfile { Modality = "XA", Attributes = ["PatientSex"] }, Berlin);

        Assert.Equal("1.2.3", data["SOPInstanceUID"].AsString);
        Assert.Equal(2, data["NumberOfSeries"].AsNumber);
        Assert.Equal(3, data["NumberOfImages"].AsNumber);
        Assert.Equal(1, data["NumberOfNonImageInstances"].AsNumber);
        Assert.Equal(420, data["TotalTimeOfFluoroscopy"].AsNumber);
        Assert.Equal(310.5, data["EntranceDoseInmGy"].AsNumber);
        Assert.Equal(35.2, data["ImageAndFluoroscopyAreaDoseProduct"].AsNumber);
        Assert.Equal(1800, data["DurationSeconds"].AsNumber);
        Assert.Equal("Coronary", data["ProtocolName"].AsString);
        Assert.Equal("Incorrect worklist entry selected", data["PerformedProcedureStepDiscontinuationReason"].AsString);
        Assert.Equal("Angio for [removed] [removed] [removed]", data["PerformedProcedureStepDescription"].AsString);
        Assert.False(data.ContainsKey("PatientSex")); // named, but absent from the step
        foreach (var (key, value) in data)
        {
            Assert.DoesNotContain("Jane", value.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("1970", value.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("Patient", key, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Map_InProgressStepWithoutSeries_HasNoCounts()
    {
        var step = new DicomDataset().AddString(DicomTags.Modality, "MR").AddString(DicomTags.PerformedProcedureStepStatus, "IN PROGRESS");
        var data = MppsEventMapper.Map("1.2.3", step, new MppsProfile { Modality = "MR" }, Berlin);
        Assert.False(data.ContainsKey("NumberOfSeries"));
        Assert.Equal(EventValueKind.Text, data["Modality"].Kind);
    }
}
