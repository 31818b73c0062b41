using System.Globalization;
using EquipmentIoT.EdgeAgent.Privacy;
using EquipmentIoT.Protocols.Dicom.Data;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.EdgeAgent.Adapters.Mpps;

/// <summary>
/// Turns a performed procedure step (PS3.3 C.4.13–C.4.17) into the data of an exam event, keyed by DICOM
/// keywords so that the agent's PHI scrubber recognises them. Copies only what an exam event needs, plus
/// the profile's extra attributes; never a patient name, birth date or id unless the profile names one
/// (which <see cref="MppsProfile.Validate"/> allows only for attributes the scrubber pseudonymises).
/// Patient names and ids found inside the copied text (a description typed with the name in it) are
/// masked here already, since the names themselves are not forwarded for the scrubber to find.
/// <list type="bullet">
/// <item>SOPInstanceUID (pseudonymised by the scrubber; links started and completed), PerformedProcedureStepStatus,
/// Modality, PerformedStationAETitle, PerformedStationName, PerformedProcedureStepDescription, PerformedProcedureTypeDescription</item>
/// <item>PerformedProtocolCodeMeaning (the code meanings of PerformedProtocolCodeSequence), ProtocolName (of the
/// first performed series), RequestedProcedureDescription and ScheduledProcedureStepDescription (of the first
/// scheduled step), PerformedProcedureStepDiscontinuationReason (code meaning)</item>
/// <item>PerformedProcedureStepStartDateTime and …EndDateTime as RFC 3339 instants with the offset of the site's
/// time zone (or of TimezoneOffsetFromUTC when the step carries it), DurationSeconds</item>
/// <item>NumberOfSeries (items of PerformedSeriesSequence), NumberOfImages (their ReferencedImageSequence items),
/// NumberOfNonImageInstances</item>
/// <item>Radiation dose (C.4.16) when present: TotalTimeOfFluoroscopy, TotalNumberOfExposures, EntranceDose,
/// EntranceDoseInmGy, ExposedArea, DistanceSourceToDetector, DistanceSourceToEntrance,
/// ImageAndFluoroscopyAreaDoseProduct, CommentsOnRadiationDose, NumberOfExposureDoseItems (ExposureDoseSequence),
/// and CTDIvol when a modality sends it.</item>
/// </list>
/// </summary>
public static class MppsEventMapper
{
    private static readonly DicomTag[] Copied =
    [
        DicomTags.PerformedProcedureStepStatus, DicomTags.Modality, DicomTags.PerformedStationAETitle, DicomTags.PerformedStationName,
        DicomTags.PerformedProcedureStepDescription, Tag("PerformedProcedureTypeDescription"),
    ];

    private static readonly DicomTag[] DoseNumbers =
    [
        Tag("TotalTimeOfFluoroscopy"), Tag("TotalNumberOfExposures"), Tag("EntranceDose"), Tag("EntranceDoseInmGy"), Tag("ExposedArea"),
        Tag("DistanceSourceToDetector"), Tag("DistanceSourceToEntrance"), Tag("ImageAndFluoroscopyAreaDoseProduct"), Tag("CTDIvol"),
    ];

    // What identifies the patient: masked wherever it appears in copied text.
    private static readonly DicomTag[] PatientIdentifiers =
    [
        DicomTags.PatientName, DicomTags.PatientID, Tag("OtherPatientIDs"), Tag("PatientBirthDate"), Tag("AccessionNumber"),
    ];

    /// <summary>
    /// The event data of <paramref name="step"/> (all its attributes after the message). A profile attribute is
    /// looked for at the top level, then in the first item of ScheduledStepAttributesSequence, then of PerformedSeriesSequence.
    /// </summary>
    public static Dictionary<string, EventValue> Map(string sopInstanceUid, DicomDataset step, MppsProfile profile, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(zone);
        var data = new Dictionary<string, EventValue>(StringComparer.Ordinal) { ["SOPInstanceUID"] = sopInstanceUid };
        foreach (var tag in Copied) AddText(data, step, tag);

        AddText(data, "PerformedProtocolCodeMeaning", CodeMeanings(step.GetSequence(DicomTags.PerformedProtocolCodeSequence)));
        var series = step.GetSequence(DicomTags.PerformedSeriesSequence);
        if (series.Count > 0) AddText(data, series[0], DicomTags.ProtocolName);
        var scheduled = step.GetSequence(DicomTags.ScheduledStepAttributesSequence);
        if (scheduled.Count > 0)
        {
            AddText(data, scheduled[0], DicomTags.RequestedProcedureDescription);
            AddText(data, scheduled[0], Tag("ScheduledProcedureStepDescription"));
        }

        AddText(data, "PerformedProcedureStepDiscontinuationReason", CodeMeanings(step.GetSequence(Tag("PerformedProcedureStepDiscontinuationReasonCodeSequence"))));

        var start = Instant(step, DicomTags.PerformedProcedureStepStartDate, DicomTags.PerformedProcedureStepStartTime, zone);
        var end = Instant(step, DicomTags.PerformedProcedureStepEndDate, DicomTags.PerformedProcedureStepEndTime, zone);
        if (start is { } s) data["PerformedProcedureStepStartDateTime"] = OffsetDateTimePattern.Rfc3339.Format(s);
        if (end is { } e) data["PerformedProcedureStepEndDateTime"] = OffsetDateTimePattern.Rfc3339.Format(e);
        if (start is { } s2 && end is { } e2 && e2.ToInstant() >= s2.ToInstant()) data["DurationSeconds"] = (e2.ToInstant() - s2.ToInstant()).TotalSeconds;

        if (step.Contains(DicomTags.PerformedSeriesSequence))
        {
            data["NumberOfSeries"] = series.Count;
            data["NumberOfImages"] = series.Sum(i => i.GetSequence(DicomTags.ReferencedImageSequence).Count);
            var nonImage = series.Sum(i => i.GetSequence(DicomTags.ReferencedNonImageCompositeSOPInstanceSequence).Count);
            if (nonImage > 0) data["NumberOfNonImageInstances"] = nonImage;
        }

        foreach (var tag in DoseNumbers)
        {
            if (step.GetNumber(tag) is { } number) data[Keyword(tag)] = number;
        }

        AddText(data, step, Tag("CommentsOnRadiationDose"));
        if (step.Contains(Tag("ExposureDoseSequence"))) data["NumberOfExposureDoseItems"] = step.GetSequence(Tag("ExposureDoseSequence")).Count;

        foreach (var keyword in profile.Attributes)
        {
            if (DicomDictionary.Find(keyword) is not { } entry) continue;
            // Top level first, then the first scheduled step and the first series (AccessionNumber, StudyInstanceUID live there).
            var holder = new[] { step }.Concat(scheduled.Take(1)).Concat(series.Take(1)).FirstOrDefault(d => d.Contains(entry.Tag));
            if (holder is null) continue;
            if (entry.VR == DicomVR.SQ) data[keyword] = holder.GetSequence(entry.Tag).Count;
            else if (IsNumeric(entry.VR) && holder.GetNumber(entry.Tag) is { } number) data[keyword] = number;
            else AddText(data, holder, entry.Tag);
        }

        MaskPatientIdentifiers(data, step, profile);
        return data;
    }

    /// <summary>
    /// DA + TM (PS3.5 Table 6.2-1: YYYYMMDD, HH[MM[SS[.F{1-6}]]]) as a time in the step's offset
    /// (TimezoneOffsetFromUTC, "+HHMM") or the site's zone; null when absent or unreadable.
    /// </summary>
    public static OffsetDateTime? Instant(DicomDataset step, DicomTag dateTag, DicomTag timeTag, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(zone);
        var date = step.GetString(dateTag);
        var time = step.GetString(timeTag);
        if (date is null || !TryParseDate(date, out var localDate)) return null;
        var localTime = LocalTime.Midnight;
        if (!string.IsNullOrEmpty(time) && !TryParseTime(time, out localTime)) return null;
        var local = localDate + localTime;
        if (step.GetString(DicomTags.TimezoneOffsetFromUTC) is { Length: 5 } offsetText
            && OffsetPattern.CreateWithInvariantCulture("+HHmm").Parse(offsetText) is { Success: true } offset)
            return local.WithOffset(offset.Value);
        return local.InZoneLeniently(zone).ToOffsetDateTime();
    }

    private static bool TryParseDate(string text, out LocalDate date)
    {
        // DA is YYYYMMDD; "YYYY.MM.DD" is the retired ACR-NEMA form, still seen.
        var result = LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd").Parse(text.Replace(".", "", StringComparison.Ordinal));
        date = result.Success ? result.Value : default;
        return result.Success;
    }

    private static bool TryParseTime(string text, out LocalTime time)
    {
        time = LocalTime.Midnight;
        text = text.Replace(":", "", StringComparison.Ordinal); // retired "HH:MM:SS"
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? text : text[..dot];
        if (whole.Length is not (2 or 4 or 6) || !whole.All(char.IsAsciiDigit)) return false;
        var hour = int.Parse(whole[..2], CultureInfo.InvariantCulture);
        var minute = whole.Length >= 4 ? int.Parse(whole[2..4], CultureInfo.InvariantCulture) : 0;
        var second = whole.Length == 6 ? int.Parse(whole[4..6], CultureInfo.InvariantCulture) : 0;
        var fraction = dot < 0 ? "" : text[(dot + 1)..];
        if (fraction.Length > 6 || !fraction.All(char.IsAsciiDigit)) return false;
        if (hour > 23 || minute > 59 || second > 60) return false;
        var micro = fraction.Length == 0 ? 0 : int.Parse(fraction.PadRight(6, '0'), CultureInfo.InvariantCulture);
        time = new LocalTime(hour, minute, Math.Min(second, 59)).PlusTicks(micro * 10L);
        return true;
    }

    private static void MaskPatientIdentifiers(Dictionary<string, EventValue> data, DicomDataset step, MppsProfile profile)
    {
        var guard = new PhiLeakGuard(PhiPolicy.DefaultMinimumLeakLength);
        foreach (var tag in PatientIdentifiers)
        {
            if (step.GetString(tag) is { Length: > 0 } value) guard.AddRemoved(value);
        }

        if (guard.IsEmpty) return;
        foreach (var key in data.Keys.ToList())
        {
            // The profile's own attributes go to the scrubber as they are (it pseudonymises ids it is given).
            if (key == "SOPInstanceUID" || profile.Attributes.Contains(key) || data[key].Kind != EventValueKind.Text) continue;
            data[key] = guard.Apply(data[key].AsString);
        }
    }

    private static string? CodeMeanings(IReadOnlyList<DicomDataset> codes)
    {
        var meanings = codes.Select(c => c.GetString(DicomTags.CodeMeaning) ?? c.GetString(DicomTags.CodeValue)).Where(m => !string.IsNullOrEmpty(m)).ToList();
        return meanings.Count == 0 ? null : string.Join("; ", meanings);
    }

    private static void AddText(Dictionary<string, EventValue> data, DicomDataset dataset, DicomTag tag) => AddText(data, Keyword(tag), dataset.GetString(tag));

    private static void AddText(Dictionary<string, EventValue> data, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value)) data[key] = value;
    }

    private static bool IsNumeric(DicomVR vr) => vr is DicomVR.US or DicomVR.UL or DicomVR.SS or DicomVR.SL or DicomVR.FL or DicomVR.FD
        or DicomVR.DS or DicomVR.IS or DicomVR.SV or DicomVR.UV;

    private static string Keyword(DicomTag tag) => DicomDictionary.Find(tag)!.Keyword;

    private static DicomTag Tag(string keyword) => DicomDictionary.TagOf(keyword);
}
