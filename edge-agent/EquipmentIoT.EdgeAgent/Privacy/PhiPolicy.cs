using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace EquipmentIoT.EdgeAgent.Privacy;

/// <summary>
/// What <see cref="PhiScrubber"/> does with each attribute of an event (keys are DICOM keywords, PS3.6),
/// in this order:
/// <list type="number">
/// <item><b>Pseudonymised</b>: identifiers replaced by a keyed hash, per domain (PatientID and
/// OtherPatientIDs share "patient-id", so one person maps to one pseudonym; AccessionNumber is
/// "accession"; UIDs become "2.25." UIDs) — PS3.15 Annex E actions D/U with consistent replacement.</item>
/// <item><b>Removed</b>: names, birth date and time, addresses, telephone numbers, other persons
/// (physicians, operators, performers), patient history and visit details — the PS3.15 Annex E
/// Table E.1-1 Basic Profile attributes with action X, Z or D that an MPPS or a worklist can carry.</item>
/// <item><b>Allowed</b>: sent as they are. By default PatientAge and PatientSex, which the Basic
/// Profile removes but its "Retain Patient Characteristics Option" (Table E.1-1, column Rtn. Pat. Chars.)
/// keeps: an age in years and the sex say little about who a patient is, are what utilisation statistics
/// break exams down by, and unlike the birth date cannot be joined with the exam date to single a person
/// out. Also PatientPosition and the station, institution and protocol names (equipment, not people).</item>
/// <item><b>Default deny</b>: any other key whose name contains a personal fragment (Patient, Name,
/// Birth, Address, Telephone, Physician, Operator, Person, …) is removed and counted.</item>
/// <item>Everything else is kept, and every kept text is searched for the removed and pseudonymised
/// values of the same event (the Basic Profile's "Clean Descriptors Option": PerformedProcedureStepDescription
/// and the like are kept but cleaned).</item>
/// </list>
/// </summary>
public sealed class PhiPolicy
{
    /// <summary>Default for <see cref="MinimumLeakLength"/>.</summary>
    public const int DefaultMinimumLeakLength = 3;

    /// <summary>Domain of patient identifiers: pseudonyms "p-…".</summary>
    public const string PatientIdDomain = "patient-id";

    /// <summary>Domain of accession numbers: pseudonyms "a-…".</summary>
    public const string AccessionDomain = "accession";

    /// <summary>Domain of study ids: pseudonyms "s-…".</summary>
    public const string StudyIdDomain = "study-id";

    /// <summary>Domain of DICOM UIDs: pseudonyms are UIDs under the UUID-derived root 2.25 (PS3.5 B.2).</summary>
    public const string UidDomain = "uid";

    // PS3.15 Annex E, Table E.1-1 (Basic Profile X/Z/D): people, birth, contact, history and visit details.
    private static readonly string[] DefaultRemoved =
    [
        // The patient: names, birth, contact, demographics, history.
        "PatientName", "OtherPatientNames", "PatientBirthName", "PatientMotherBirthName", "PatientBirthDate", "PatientBirthTime",
        "PatientAddress", "PatientTelephoneNumbers", "PatientTelecomInformation", "CountryOfResidence", "RegionOfResidence",
        "MilitaryRank", "BranchOfService", "Occupation", "EthnicGroup", "PatientReligiousPreference", "MedicalRecordLocator",
        "InsurancePlanIdentification", "PatientInsurancePlanCodeSequence", "AdditionalPatientHistory", "PatientComments",
        "MedicalAlerts", "Allergies", "PregnancyStatus", "SmokingStatus", "LastMenstrualDate", "PatientState", "SpecialNeeds",
        "CurrentPatientLocation", "PatientInstitutionResidence", "ScheduledPatientInstitutionResidence", "PatientTransportArrangements",
        "ResponsiblePerson", "ResponsibleOrganization", "IssuerOfPatientID", "OtherPatientIDsSequence", "ReferencedPatientPhotoSequence",
        "ReferencedPatientSequence", "ReferencedPatientAliasSequence", "PatientWeight", "PatientSize", "PatientSexNeutered",
        "PatientPrimaryLanguageCodeSequence",
        // Other people: physicians, operators, performers, observers, order entry.
        "ReferringPhysicianName", "ReferringPhysicianAddress", "ReferringPhysicianTelephoneNumbers", "ReferringPhysicianIdentificationSequence",
        "ConsultingPhysicianName", "ConsultingPhysicianIdentificationSequence", "NameOfPhysiciansReadingStudy",
        "PhysiciansReadingStudyIdentificationSequence", "PerformingPhysicianName", "PerformingPhysicianIdentificationSequence",
        "PhysiciansOfRecord", "PhysiciansOfRecordIdentificationSequence", "RequestingPhysician", "RequestingService",
        "ScheduledPerformingPhysicianName", "ScheduledPerformingPhysicianIdentificationSequence", "OperatorsName",
        "OperatorIdentificationSequence", "HumanPerformerName", "HumanPerformerOrganization", "ActualHumanPerformersSequence",
        "ScheduledHumanPerformersSequence", "PersonName", "PersonAddress", "PersonTelephoneNumbers", "PersonTelecomInformation",
        "PersonIdentificationCodeSequence", "OrderEnteredBy", "OrderEntererLocation", "OrderCallbackPhoneNumber",
        "OrderCallbackTelecomInformation", "NamesOfIntendedRecipientsOfResults", "IntendedRecipientsOfResultsIdentificationSequence",
        "ReviewerName", "VerifyingObserverName", "ContentCreatorName", "PhysicianApprovingInterpretation", "InterpretationAuthor",
        "InterpretationRecorder", "InterpretationTranscriber", "DistributionName", "DistributionAddress", "CameraOwnerName",
        // The visit and the order: ids, reasons, comments.
        "AdmissionID", "IssuerOfAdmissionIDSequence", "AdmittingDiagnosesDescription", "AdmittingDiagnosesCodeSequence",
        "AdmittingDate", "AdmittingTime", "DischargeDiagnosisDescription", "ServiceEpisodeID", "ServiceEpisodeDescription",
        "IssuerOfServiceEpisodeIDSequence", "ReasonForStudy", "ReasonForVisit", "ReasonForVisitCodeSequence",
        "ReasonForTheRequestedProcedure", "ReasonForRequestedProcedureCodeSequence", "ReasonForTheImagingServiceRequest",
        "RequestedProcedureComments", "ImagingServiceRequestComments", "StudyComments", "CommentsOnThePerformedProcedureStep",
        "RequestedProcedureID", "RequestedProcedureLocation", "PlacerOrderNumberImagingServiceRequest",
        "FillerOrderNumberImagingServiceRequest", "PerformedProcedureStepID", "ScheduledProcedureStepID",
    ];

    private static readonly KeyValuePair<string, string>[] DefaultPseudonymised =
    [
        new("PatientID", PatientIdDomain),
        new("OtherPatientIDs", PatientIdDomain),
        new("AccessionNumber", AccessionDomain),
        new("StudyID", StudyIdDomain),
        new("StudyInstanceUID", UidDomain),
        new("SeriesInstanceUID", UidDomain),
        new("SOPInstanceUID", UidDomain),
        new("AffectedSOPInstanceUID", UidDomain),
        new("RequestedSOPInstanceUID", UidDomain),
        new("ReferencedSOPInstanceUID", UidDomain),
        new("MediaStorageSOPInstanceUID", UidDomain),
        new("FrameOfReferenceUID", UidDomain),
        new("IrradiationEventUID", UidDomain),
    ];

    private static readonly string[] DefaultAllowed =
    [
        "PatientAge", "PatientSex", "PatientPosition", "StationName", "PerformedStationName", "InstitutionName",
        "InstitutionalDepartmentName", "ProtocolName", "Manufacturer", "ManufacturerModelName",
    ];

    private static readonly string[] DefaultFragments =
    [
        "Patient", "Name", "Birth", "Mother", "Address", "Telephone", "Phone", "Telecom", "Physician", "Operator", "Person",
        "Performer", "Accession", "Admission",
    ];

    // What no site setting can let through as it is.
    private static readonly FrozenSet<string> NeverAllowed = new[]
    {
        "PatientName", "OtherPatientNames", "PatientBirthName", "PatientMotherBirthName", "PatientBirthDate", "PatientBirthTime",
        "PatientAddress", "PatientTelephoneNumbers", "PatientTelecomInformation", "PatientID", "OtherPatientIDs",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly Regex DomainPattern = new("^[a-z0-9-]{1,32}$", RegexOptions.CultureInvariant);

    private PhiPolicy(IEnumerable<string> removed, IEnumerable<KeyValuePair<string, string>> pseudonymised, IEnumerable<string> allowed,
        IEnumerable<string> fragments, int minimumLeakLength)
    {
        Pseudonymised = pseudonymised.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        Removed = removed.Where(k => !Pseudonymised.ContainsKey(k)).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        Allowed = allowed.Where(k => !Pseudonymised.ContainsKey(k) && !Removed.Contains(k)).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        Fragments = [.. fragments.Distinct(StringComparer.OrdinalIgnoreCase)];
        MinimumLeakLength = minimumLeakLength;
    }

    /// <summary>The defaults described above.</summary>
    public static PhiPolicy Default { get; } = new(DefaultRemoved, DefaultPseudonymised, DefaultAllowed, DefaultFragments, DefaultMinimumLeakLength);

    /// <summary>Keys whose values are replaced by a keyed hash, with their domain.</summary>
    public FrozenDictionary<string, string> Pseudonymised { get; }

    /// <summary>Keys that are removed.</summary>
    public FrozenSet<string> Removed { get; }

    /// <summary>Keys sent as they are even though their names look personal.</summary>
    public FrozenSet<string> Allowed { get; }

    /// <summary>Fragments that make any other key look personal (case-insensitive): such keys are removed.</summary>
    public IReadOnlyList<string> PersonalFragments => Fragments;

    // An array, so that the per-key loop of the scrubber's fast path does not box an enumerator.
    internal string[] Fragments { get; }

    /// <summary>Shortest removed value searched for in the remaining text (2 for values with ideographs).</summary>
    public int MinimumLeakLength { get; }

    /// <summary>The defaults changed as a site says.</summary>
    /// <exception cref="ArgumentException">The site's settings contradict each other or let PHI through; the message lists every problem.</exception>
    public static PhiPolicy FromOptions(PhiPolicyOptions? site)
    {
        if (site is null) return Default;
        var problems = Problems(site);
        if (problems.Count > 0) throw new ArgumentException("Agent:Privacy: " + string.Join("; ", problems), nameof(site));
        var remove = site.Remove.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var allow = site.Allow.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var pseudonymised = DefaultPseudonymised.Where(p => !remove.Contains(p.Key))
            .Concat(site.Pseudonymise)
            .GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.Last());
        var removed = DefaultRemoved.Where(k => !allow.Contains(k) && !site.Pseudonymise.ContainsKey(k)).Concat(remove);
        var allowed = DefaultAllowed.Where(k => !remove.Contains(k)).Concat(allow);
        return new PhiPolicy(removed, pseudonymised, allowed, DefaultFragments.Concat(site.PersonalFragments), site.MinimumLeakLength);
    }

    /// <summary>What is wrong with a site's settings (empty when nothing).</summary>
    public static IReadOnlyList<string> Problems(PhiPolicyOptions site)
    {
        ArgumentNullException.ThrowIfNull(site);
        var problems = new List<string>();
        var remove = site.Remove.ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var key in site.Allow)
        {
            if (NeverAllowed.Contains(key)) problems.Add($"{key} can never be allowed: names, birth dates, contact data and raw patient ids stay in the hospital");
            else if (DefaultPseudonymised.Any(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)) && !remove.Contains(key))
                problems.Add($"{key} is pseudonymised; it cannot also be allowed as it is");
            if (remove.Contains(key)) problems.Add($"{key} is in both Remove and Allow");
            if (site.Pseudonymise.ContainsKey(key)) problems.Add($"{key} is in both Pseudonymise and Allow");
        }

        foreach (var (key, domain) in site.Pseudonymise)
        {
            if (remove.Contains(key)) problems.Add($"{key} is in both Remove and Pseudonymise");
            if (domain is null || !DomainPattern.IsMatch(domain)) problems.Add($"the domain of {key} must be 1-32 of a-z 0-9 -");
        }

        foreach (var key in site.Remove.Concat(site.Allow).Concat(site.Pseudonymise.Keys))
        {
            if (string.IsNullOrWhiteSpace(key)) problems.Add("an empty attribute name");
        }

        foreach (var fragment in site.PersonalFragments)
        {
            if (string.IsNullOrWhiteSpace(fragment) || fragment.Length < 3) problems.Add($"personal fragment '{fragment}' is shorter than 3 characters");
        }

        if (site.MinimumLeakLength is < 2 or > 64) problems.Add("MinimumLeakLength must be 2..64");
        return problems;
    }
}
