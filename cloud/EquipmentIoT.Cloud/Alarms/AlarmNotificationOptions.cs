namespace EquipmentIoT.Cloud.Alarms;

/// <summary>
/// Section "AlarmNotifications": who hears of which alarm. Each route matches alarms by site, device class and least
/// severity and names recipients directly (<c>sms:+8613…</c>, <c>email:…</c>, <c>webhook:NAME</c>) or by role from the
/// contacts list (the contacts of that role at the alarm's site, or at every site when a contact names none).
/// </summary>
public sealed class AlarmNotificationOptions
{
    public const string Section = "AlarmNotifications";

    /// <summary>"zh" (default) or "en".</summary>
    public string Language { get; set; } = "zh";

    /// <summary>People who can be routed to by role.</summary>
    public List<AlarmContact> Contacts { get; set; } = [];

    /// <summary>The routes; an alarm goes to the union of the recipients of every route it matches (each once).</summary>
    public List<AlarmRoute> Routes { get; set; } = [];

    /// <summary>Text templates overriding the embedded ones: key <c>{raised|escalated|flapping|resolved}.{zh|en}</c>.</summary>
    public Dictionary<string, string> Templates { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>A person alarms can reach.</summary>
public sealed class AlarmContact
{
    public string Name { get; set; } = "";

    /// <summary>engineer, manager, …</summary>
    public string Role { get; set; } = "";

    /// <summary>Sites this person covers; empty: all.</summary>
    public List<string> Sites { get; set; } = [];

    /// <summary>E.164 mobile number for SMS.</summary>
    public string? Phone { get; set; }

    /// <summary>E-mail address.</summary>
    public string? Email { get; set; }

    /// <summary>The addresses (<c>sms:…</c>, <c>email:…</c>) of the contacts of <paramref name="roles"/> covering <paramref name="site"/>.</summary>
    public static IEnumerable<string> Recipients(IEnumerable<AlarmContact> contacts, IReadOnlyCollection<string> roles, string? site)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        foreach (var contact in contacts.Where(c => roles.Contains(c.Role, StringComparer.OrdinalIgnoreCase)
                     && (c.Sites.Count == 0 || (site is not null && c.Sites.Contains(site, StringComparer.OrdinalIgnoreCase)))))
        {
            if (!string.IsNullOrEmpty(contact.Phone)) yield return "sms:" + contact.Phone;
            if (!string.IsNullOrEmpty(contact.Email)) yield return "email:" + contact.Email;
        }
    }
}

/// <summary>Which alarms go to whom, and when.</summary>
public sealed class AlarmRoute
{
    public string Name { get; set; } = "";

    /// <summary>Sites matched; empty: any.</summary>
    public List<string> Sites { get; set; } = [];

    /// <summary>Device classes matched (ct, mr, am-printer); empty: any.</summary>
    public List<string> DeviceClasses { get; set; } = [];

    /// <summary>The least severe alarm this route carries.</summary>
    public AlarmSeverity MinSeverity { get; set; } = AlarmSeverity.Major;

    /// <summary>Recipients by role from the contacts list.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>Recipients by address: <c>sms:+86…</c>, <c>email:…</c>, <c>webhook:NAME</c>.</summary>
    public List<string> Recipients { get; set; } = [];

    /// <summary>Also tell when the alarm resolves.</summary>
    public bool OnResolved { get; set; }

    /// <summary>Tell again on escalation (not acknowledged in time).</summary>
    public bool OnEscalation { get; set; } = true;

    /// <summary>Quiet hours (local times, e.g. 22:00–07:00 in <see cref="QuietZone"/>): non-critical messages wait until they end.</summary>
    public string? QuietStart { get; set; }

    public string? QuietEnd { get; set; }

    public string? QuietZone { get; set; }
}
