using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;

namespace EquipmentIoT.Cloud.Api.Auth;

/// <summary>
/// The authorization policies. Every endpoint needs <see cref="Read"/> (any role); changes need more:
/// auditors read everything and change nothing, operators read and log builds, engineers read and
/// act on integrity (see quarantined payloads), managers read, keep asset records, sites and the licence register and release builds, admins do
/// everything including agents, keys and tokens.
/// </summary>
public static class ApiPolicies
{
    /// <summary>Any valid token.</summary>
    public const string Read = "read";

    /// <summary>Asset records and sites: manager, admin.</summary>
    public const string ManageAssets = "manage-assets";

    /// <summary>Agents, keys and tokens: admin.</summary>
    public const string Admin = "admin";

    /// <summary>The audit log and the token list: auditor, admin.</summary>
    public const string ReadAudit = "read-audit";

    /// <summary>Build entries and parts: operator, engineer, manager, admin.</summary>
    public const string LogBuilds = "log-builds";

    /// <summary>Releasing (and so sealing) a build record: manager, admin.</summary>
    public const string ReleaseBuilds = "release-builds";

    /// <summary>Acknowledging, shelving and resolving alarms: engineer, manager, admin.</summary>
    public const string HandleAlarms = "handle-alarms";

    /// <summary>The configuration licence register (create, edit, fulfil, revoke): manager, admin.</summary>
    public const string ManageLicences = "manage-licences";

    /// <summary>Quarantined payloads: admin, engineer, auditor.</summary>
    public const string ReadPayloads = "read-payloads";

    /// <summary>Working maintenance work orders (open repairs, assign, start, done, verify, cancel): engineer, manager, admin.</summary>
    public const string WorkOrders = "work-orders";

    /// <summary>Maintenance plans, calibration items and running the due computation by hand: manager, admin.</summary>
    public const string ManageMaintenance = "manage-maintenance";

    /// <summary>The roles each policy admits.</summary>
    public static IReadOnlyDictionary<string, Role[]> Roles { get; } = new Dictionary<string, Role[]>(StringComparer.Ordinal)
    {
        [Read] = Enum.GetValues<Role>(),
        [ManageAssets] = [Role.Manager, Role.Admin],
        [Admin] = [Role.Admin],
        [ReadAudit] = [Role.Auditor, Role.Admin],
        [ReadPayloads] = [Role.Admin, Role.Engineer, Role.Auditor],
        [HandleAlarms] = [Role.Engineer, Role.Manager, Role.Admin],
        [LogBuilds] = [Role.Operator, Role.Engineer, Role.Manager, Role.Admin],
        [ReleaseBuilds] = [Role.Manager, Role.Admin],
        [WorkOrders] = [Role.Engineer, Role.Manager, Role.Admin],
        [ManageMaintenance] = [Role.Manager, Role.Admin],
        [ManageLicences] = [Role.Manager, Role.Admin],
    };

    /// <summary>The claim value of a role.</summary>
    public static string ClaimOf(Role role) => SqliteApiTokenStore.RoleText(role);
}
