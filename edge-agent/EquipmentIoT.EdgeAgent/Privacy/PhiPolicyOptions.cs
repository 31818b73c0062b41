using System.ComponentModel.DataAnnotations;

namespace EquipmentIoT.EdgeAgent.Privacy;

/// <summary>
/// A site's changes to the default <see cref="PhiPolicy"/> (section <c>Agent:Privacy</c>). Keys are DICOM
/// keywords (PS3.6), matched without regard to case. Names, birth dates, addresses, telephone numbers and
/// raw patient ids can never be allowed.
/// </summary>
public sealed class PhiPolicyOptions : IValidatableObject
{
    /// <summary>More attributes to remove (they also leave the allow list and the pseudonymised list).</summary>
    public List<string> Remove { get; set; } = [];

    /// <summary>More attributes to pseudonymise: keyword → domain (e.g. "AdmissionID": "admission").</summary>
    public Dictionary<string, string> Pseudonymise { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Attributes to send as they are, e.g. "PatientWeight" for dose statistics (they leave the remove list).</summary>
    public List<string> Allow { get; set; } = [];

    /// <summary>More fragments that make an unknown attribute name look personal (default deny).</summary>
    public List<string> PersonalFragments { get; set; } = [];

    /// <summary>Shortest removed value (in characters) searched for in the remaining text; 2 for values with ideographs.</summary>
    [Range(2, 64)]
    public int MinimumLeakLength { get; set; } = PhiPolicy.DefaultMinimumLeakLength;

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        PhiPolicy.Problems(this).Select(p => new ValidationResult($"Agent:Privacy: {p}"));
}
