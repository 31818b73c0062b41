using System.Text.RegularExpressions;
using EquipmentIoT.EdgeAgent.Privacy;
using EquipmentIoT.EdgeAgent.Profiles;
using EquipmentIoT.Protocols.Dicom.Data;

namespace EquipmentIoT.EdgeAgent.Adapters.Mpps;

/// <summary>
/// The 'mpps' section of a device profile: exams this model reports over DICOM MPPS.
/// <code>
/// mpps:
///   modality: CT                   # what its N-CREATEs say in Modality (0008,0060)
///   attributes: [PatientAge, PatientSex, StudyID]   # optional: more DICOM keywords copied into exam events
/// </code>
/// Exam events always carry the step's (pseudonymised) SOP Instance UID, modality, station, procedure and
/// protocol names, start/end times, series and image counts and the radiation dose attributes present
/// (see <see cref="MppsEventMapper"/>). Patient attributes are never copied unless named here; names, birth
/// dates and contact data cannot be named. What is named still passes the agent's PHI scrubber: identifiers
/// are pseudonymised, and attributes the site's policy does not allow are removed.
/// </summary>
public sealed partial class MppsProfile : ProfileNode
{
    /// <summary>The expected modality, e.g. CT or MR (a DICOM CS value, PS3.3 C.7.3.1.1.1).</summary>
    public string Modality { get; set; } = "";

    /// <summary>More DICOM keywords (PS3.6) copied from the performed procedure step into exam events.</summary>
    public List<string> Attributes { get; set; } = [];

    /// <inheritdoc/>
    public override IEnumerable<ProfileError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Modality)) yield return Error("'modality' (CT, MR, …) is required");
        else if (!ModalityPattern().IsMatch(Modality)) yield return Error($"modality '{Modality}' is not a DICOM modality code (A-Z, 0-9, _; at most 16)");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var keyword in Attributes)
        {
            if (!seen.Add(keyword)) yield return Error($"attribute '{keyword}' is listed twice");
            else if (DicomDictionary.Find(keyword) is not { } entry || entry.Tag.Group == 0x0000)
                yield return Error($"attribute '{keyword}' is not a DICOM keyword of the MPPS dictionary (spelled as in PS3.6, e.g. PatientAge)");
            else if (NeverForwarded(keyword))
                yield return Error($"attribute '{keyword}' is patient data that never leaves the hospital (names, birth dates, contact data); it cannot be forwarded");
        }
    }

    // What no site may allow (PhiPolicy refuses it in Allow) and the scrubber does not pseudonymise: copying it
    // would only hand the scrubber something to delete. Identifiers it pseudonymises (PatientID, AccessionNumber)
    // and attributes a site may allow (PatientWeight for dose statistics) can be named.
    private static bool NeverForwarded(string keyword) =>
        !PhiPolicy.Default.Pseudonymised.ContainsKey(keyword)
        && PhiPolicy.Problems(new PhiPolicyOptions { Allow = [keyword] }).Count > 0;

    [GeneratedRegex("^[A-Z0-9_]{1,16}$", RegexOptions.CultureInvariant)]
    private static partial Regex ModalityPattern();
}
