using System.Globalization;
using System.Text.RegularExpressions;

namespace EquipmentIoT.Cloud.Builds;

/// <summary>
/// The operator entries a build record takes, with the fields each requires: the order and its pseudonymous case,
/// the design file and its hash, material and powder lot, operator, machine parameters, post-processing, cleaning,
/// packaging, sterilisation, inspection and the release decision. Extra fields are allowed (a site's own); fields that
/// would carry patient identity are refused — a case reference is the hospital's pseudonym, never a name.
/// </summary>
public static partial class BuildEntryKinds
{
    public const string Order = "order";
    public const string Design = "design";
    public const string Material = "material";
    public const string Operator = "operator";
    public const string Parameters = "parameters";
    public const string PostProcessing = "post-processing";
    public const string Cleaning = "cleaning";
    public const string Packaging = "packaging";
    public const string Sterilisation = "sterilisation";
    public const string Inspection = "inspection";
    public const string Release = "release";
    public const string Part = "part";
    public const string Note = "note";

    private const int MaxFields = 32;
    private const int MaxValueLength = 1024;

    /// <summary>Each kind and its required fields.</summary>
    public static IReadOnlyDictionary<string, string[]> Required { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [Order] = ["order_ref", "case_ref", "device_name"],
        [Design] = ["file", "sha256"],
        [Material] = ["material", "powder_lot", "reuse_count", "sieve"],
        [Operator] = ["operator"],
        [Parameters] = [],
        [PostProcessing] = ["step"],
        [Cleaning] = ["method"],
        [Packaging] = ["method"],
        [Sterilisation] = ["method", "batch", "date"],
        [Inspection] = ["test", "result"],
        [Release] = ["decision"],
        [Part] = ["case_ref", "device_name"],
        [Note] = ["text"],
    };

    private static readonly Dictionary<string, string[]> Choices = new(StringComparer.Ordinal)
    {
        ["post-processing.step"] = ["support-removal", "heat-treatment", "surface-treatment", "machining", "other"],
        ["inspection.test"] = ["dimensions", "fit", "surface", "mechanical", "visual", "other"],
        ["inspection.result"] = ["pass", "fail"],
        ["release.decision"] = ["released", "rejected"],
        ["sterilisation.method"] = ["steam", "eto", "gamma", "e-beam", "plasma", "other"],
    };

    // Identity of a person in a record that leaves the plant is what the privacy rules forbid; the case reference is the pseudonym.
    private static readonly HashSet<string> Forbidden = new(StringComparer.Ordinal)
    {
        "patient", "patient_name", "patient_id", "name", "birth_date", "date_of_birth", "dob", "id_card", "id_number", "phone", "address",
    };

    /// <summary>Null when <paramref name="fields"/> are a valid entry of <paramref name="kind"/>, else why not.</summary>
    public static string? Validate(string kind, IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (!Required.TryGetValue(kind, out var required))
            return $"unknown entry kind '{kind}' (one of: {string.Join(", ", Required.Keys)})";
        if (fields.Count > MaxFields) return $"an entry has at most {MaxFields} fields";
        foreach (var (key, value) in fields)
        {
            if (!FieldName().IsMatch(key)) return $"field name '{key}' must be lower-case letters, digits and '_' (at most 64)";
            if (Forbidden.Contains(key)) return $"field '{key}' would carry patient identity: use the pseudonymous case_ref";
            if (value is null || value.Length > MaxValueLength || value.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0)
                return $"field '{key}' must be at most {MaxValueLength} characters without control characters";
        }

        foreach (var key in required)
        {
            if (!fields.TryGetValue(key, out var value) || string.IsNullOrWhiteSpace(value)) return $"a {kind} entry needs '{key}'";
        }

        foreach (var (key, value) in fields)
        {
            if (Choices.TryGetValue($"{kind}.{key}", out var allowed) && !allowed.Contains(value, StringComparer.Ordinal))
                return $"{kind} '{key}' must be one of: {string.Join(", ", allowed)}";
        }

        return kind switch
        {
            Design when !Sha256Hex().IsMatch(fields["sha256"]) => "design 'sha256' must be 64 hexadecimal digits (the design file's SHA-256)",
            Material when !int.TryParse(fields["reuse_count"], NumberStyles.None, CultureInfo.InvariantCulture, out _) =>
                "material 'reuse_count' must be a whole number (0 for virgin powder)",
            Sterilisation when !DateOnly.TryParseExact(fields["date"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) =>
                "sterilisation 'date' must be yyyy-MM-dd",
            _ => null,
        };
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex FieldName();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Hex();
}
