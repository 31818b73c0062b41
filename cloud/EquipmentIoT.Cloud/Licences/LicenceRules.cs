using System.Text.RegularExpressions;

namespace EquipmentIoT.Cloud.Licences;

/// <summary>
/// The checks a licence must pass before it is stored. Each broken rule is reported under the field's JSON name, so
/// that a form can show every problem at once.
/// </summary>
public static partial class LicenceRules
{
    public const int MaxNumberLength = 64;
    public const int MaxTextLength = 128;
    public const int MaxManagers = 20;

    /// <summary>Checks a request; on success <paramref name="draft"/> holds the trimmed licence.</summary>
    public static IReadOnlyDictionary<string, string[]> Check(LicenceRequest request, out LicenceDraft? draft)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Fail(string field, string reason)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            list.Add(reason);
        }

        var number = Text(request.Number, "number", MaxNumberLength, required: true, Fail);
        var equipment = Text(request.EquipmentType, "equipmentType", MaxTextLength, required: true, Fail);
        var holder = Text(request.Holder, "holder", MaxTextLength, required: true, Fail);
        var region = Text(request.Region, "region", MaxTextLength, required: true, Fail);
        var authority = Text(request.Authority, "authority", MaxTextLength, required: true, Fail);
        var device = Text(request.DeviceId, "deviceId", MaxTextLength, required: false, Fail);
        var site = Text(request.SiteId, "siteId", MaxTextLength, required: false, Fail);
        if (request.Category is not { } category || !Enum.IsDefined(category)) Fail("category", "required: classA (甲类) or classB (乙类)");
        if (request.Form is { } form && !Enum.IsDefined(form)) Fail("form", "original or copy");
        if (request.IssueDate is null) Fail("issueDate", "required: a date such as 2026-03-01");
        if (request.Deadline is null) Fail("deadline", "required: the last day of the purchase window, such as 2027-03-31");
        if (request.IssueDate is { } issued && request.Deadline is { } deadline && deadline < issued)
            Fail("deadline", $"{deadline:uuuu-MM-dd} is before the issue date {issued:uuuu-MM-dd}");
        var managers = Managers(request.Managers ?? [], Fail);

        if (errors.Count > 0)
        {
            draft = null;
            return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
        }

        draft = new LicenceDraft(number!, request.Category!.Value, equipment!, holder!, region!, authority!, request.IssueDate!.Value,
            request.Deadline!.Value, request.Form ?? LicenceForm.Original, device, site, managers);
        return new Dictionary<string, string[]>();
    }

    /// <summary>True for an E.164 number: '+', a country code that does not start with 0, 7 to 15 digits in all.</summary>
    public static bool IsE164(string? phone) => phone is not null && E164().IsMatch(phone);

    private static List<LicenceManager> Managers(IReadOnlyList<LicenceManager> given, Action<string, string> fail)
    {
        var managers = new List<LicenceManager>();
        if (given.Count > MaxManagers) fail("managers", $"at most {MaxManagers} managers");
        var phones = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < given.Count; i++)
        {
            var field = $"managers[{i}]";
            if (given[i] is not { } m)
            {
                fail(field, "a manager is {\"name\": …, \"phone\": \"+86…\"}");
                continue;
            }

            var name = Text(m.Name, $"{field}.name", MaxTextLength, required: true, fail);
            var phone = m.Phone?.Trim();
            if (!IsE164(phone)) fail($"{field}.phone", $"'{m.Phone}' is not an E.164 mobile number such as +8613800138000");
            else if (!phones.Add(phone!)) fail($"{field}.phone", $"{phone} is listed twice");
            if (name is not null && IsE164(phone)) managers.Add(new LicenceManager(name, phone!));
        }

        return managers;
    }

    private static string? Text(string? value, string field, int max, bool required, Action<string, string> fail)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required) fail(field, "required");
            return null;
        }

        if (text.Length > max) fail(field, $"at most {max} characters");
        else if (text.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0 || text.Contains('\u007f', StringComparison.Ordinal)) fail(field, "control characters are not allowed");
        else return text;
        return null;
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();
}
