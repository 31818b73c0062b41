using NodaTime;

namespace EquipmentIoT.Cloud.Licences;

/// <summary>A licence as a person submits it (API body): every field may be missing or wrong, and each problem is reported.</summary>
public sealed record LicenceRequest(string? Number, LicenceCategory? Category, string? EquipmentType, string? Holder, string? Region,
    string? Authority, LocalDate? IssueDate, LocalDate? Deadline, LicenceForm? Form = null, string? DeviceId = null, string? SiteId = null,
    IReadOnlyList<LicenceManager>? Managers = null);

/// <summary>What a change of a licence came to: the licence, or why not.</summary>
public sealed record LicenceResult(LicenceOutcome Outcome, Licence? Licence, IReadOnlyDictionary<string, string[]> Errors)
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    public bool Success => Outcome == LicenceOutcome.Ok;

    /// <summary>Every reason, one per line ("field: reason").</summary>
    public string Reason => string.Join("; ", Errors.SelectMany(e => e.Value.Select(v => $"{e.Key}: {v}")));

    public static LicenceResult Ok(Licence licence) => new(LicenceOutcome.Ok, licence, NoErrors);

    public static LicenceResult Invalid(IReadOnlyDictionary<string, string[]> errors) => new(LicenceOutcome.Invalid, null, errors);

    public static LicenceResult Invalid(string field, string reason) => Invalid(new Dictionary<string, string[]> { [field] = [reason] });

    public static LicenceResult NotFound(long id) => new(LicenceOutcome.NotFound, null, new Dictionary<string, string[]> { ["id"] = [$"no licence {id}"] });

    public static LicenceResult Conflict(string field, string reason) => new(LicenceOutcome.Conflict, null, new Dictionary<string, string[]> { [field] = [reason] });
}

/// <summary>How a change ended.</summary>
public enum LicenceOutcome
{
    Ok,

    /// <summary>A field is missing or wrong (400).</summary>
    Invalid,

    /// <summary>No such licence (404).</summary>
    NotFound,

    /// <summary>The number is taken, or the licence's status does not allow the change (409).</summary>
    Conflict,
}
