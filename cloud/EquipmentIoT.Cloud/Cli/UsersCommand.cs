using EquipmentIoT.Cloud.Hosting;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Web;
using EquipmentIoT.Cloud.Web.Users;
using NodaTime;

namespace EquipmentIoT.Cloud.Cli;

/// <summary>
/// <c>eqiot cloud users add|list|passwd|lock|unlock</c>: web UI users, offline on the data directory like <c>tokens</c>. A password
/// is read from stdin (its first line) or from <c>--password-file</c>, never from an argument (arguments show in <c>ps</c> and history).
/// </summary>
internal static class UsersCommand
{
    private const string Usage = """
        usage: eqiot cloud users add --name NAME --role ROLE [--role ROLE …] [--display TEXT] [--site SITE] [--password-file FILE] [--data DIR]
               eqiot cloud users list [--data DIR]
               eqiot cloud users passwd --name NAME [--password-file FILE] [--data DIR]
               eqiot cloud users lock|unlock --name NAME [--data DIR]
               roles: auditor, operator, engineer, manager, admin; the password is the first line of stdin unless --password-file is given
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0) return Fail("a subcommand is required");
        var a = CommandArguments.Parse(args[1..], ["--name", "--role", "--display", "--site", "--password-file", "--data"]);
        if (a.Help)
        {
            Console.WriteLine(Usage);
            return 0;
        }

        if (a.Error is not null) return Fail(a.Error);
        try
        {
            var services = new ServiceCollection();
            services.AddLogging();
            var data = CloudPaths.Resolve(a["--data"]);
            services.AddCloudStores(data);
            services.AddUserStore(data);
            await using var provider = services.BuildServiceProvider();
            await provider.InitializeStoresAsync(CancellationToken.None).ConfigureAwait(false);
            return await RunAsync(args[0], a, provider.GetRequiredService<IUserStore>(), provider.GetRequiredService<IAuditLog>()).ConfigureAwait(false);
        }
        catch (RegistryException e)
        {
            Console.Error.WriteLine($"eqiot cloud users {args[0]}: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> RunAsync(string subcommand, CommandArguments a, IUserStore users, IAuditLog audit)
    {
        var now = SystemClock.Instance.GetCurrentInstant();
        var name = a["--name"];
        switch (subcommand)
        {
            case "add":
            {
                var roles = new List<Role>();
                foreach (var text in a.All("--role"))
                {
                    if (!Enum.TryParse<Role>(text, ignoreCase: true, out var role) || !Enum.IsDefined(role) || int.TryParse(text, out _))
                        return Fail($"unknown role '{text}'");
                    roles.Add(role);
                }

                if (name is null || roles.Count == 0) return Fail("add needs --name and at least one --role");
                if (ReadPassword(a) is not { } password) return 2;
                var user = await users.AddAsync(new NewUser(name, a["--display"] ?? name, roles, a["--site"], UserPasswords.Hash(password), now),
                    CancellationToken.None).ConfigureAwait(false);
                await AuditAsync(audit, now, "users.add", $"{user.Username} {SqliteUserStore.RolesText(user.Roles)}").ConfigureAwait(false);
                Console.WriteLine($"added user {user.Username} ({SqliteUserStore.RolesText(user.Roles)})");
                return 0;
            }
            case "list":
                Console.WriteLine($"{"NAME",-20} {"ROLES",-28} {"SITE",-10} {"LAST SIGN-IN (UTC)",-18} STATE");
                foreach (var u in await users.ListAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    var state = u.Locked ? "locked" : u.IsLockedAt(now) ? "locked out" : "active";
                    Console.WriteLine($"{u.Username,-20} {SqliteUserStore.RolesText(u.Roles),-28} {u.Site ?? "-",-10} " +
                                      $"{u.LastSignIn?.ToString("uuuu-MM-dd HH:mm", null) ?? "never",-18} {state}");
                }

                await AuditAsync(audit, now, "users.list", null).ConfigureAwait(false);
                return 0;
            case "passwd":
            {
                if (name is null) return Fail("passwd needs --name");
                if (ReadPassword(a) is not { } password) return 2;
                await users.SetPasswordHashAsync(name, UserPasswords.Hash(password), CancellationToken.None).ConfigureAwait(false);
                await AuditAsync(audit, now, "users.passwd", name).ConfigureAwait(false);
                Console.WriteLine($"password of {name} changed");
                return 0;
            }
            case "lock" or "unlock":
                if (name is null) return Fail($"{subcommand} needs --name");
                await users.SetLockedAsync(name, subcommand == "lock", CancellationToken.None).ConfigureAwait(false);
                await AuditAsync(audit, now, $"users.{subcommand}", name).ConfigureAwait(false);
                Console.WriteLine($"{name} {subcommand}ed");
                return 0;
            default:
                return Fail($"unknown subcommand '{subcommand}'");
        }
    }

    private static string? ReadPassword(CommandArguments a)
    {
        string? password;
        if (a["--password-file"] is { } file)
        {
            if (!File.Exists(file))
            {
                Console.Error.WriteLine($"eqiot cloud users: the password file '{file}' does not exist");
                return null;
            }

            password = File.ReadLines(file).FirstOrDefault();
        }
        else
        {
            password = Console.In.ReadLine();
        }

        password = password?.TrimEnd('\r');
        if (UserPasswords.Validate(password) is { } bad)
        {
            Console.Error.WriteLine($"eqiot cloud users: {bad}");
            return null;
        }

        return password;
    }

    private static Task AuditAsync(IAuditLog audit, Instant now, string action, string? target) =>
        audit.AppendAsync(new AuditEntry(now, "cli", "admin", action, target, "ok", $"local:{Environment.UserName}"), CancellationToken.None);

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"eqiot cloud users: {message}\n{Usage}");
        return 2;
    }
}
