using EquipmentIoT.Cloud.Storage;
using NodaTime;

namespace EquipmentIoT.Cloud.Cli;

/// <summary><c>eqiot cloud tokens add|list|revoke</c>: API tokens; the token text is printed once, at creation.</summary>
internal static class TokensCommand
{
    private const string Usage = """
        usage: eqiot cloud tokens add --name NAME --role auditor|operator|engineer|manager|admin [--days N] [--data DIR]
               eqiot cloud tokens list [--data DIR]
               eqiot cloud tokens revoke --id N [--data DIR]
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0) return Fail("a subcommand is required");
        var a = CommandArguments.Parse(args[1..], ["--name", "--role", "--days", "--id", "--data"]);
        if (a.Help)
        {
            Console.WriteLine(Usage);
            return 0;
        }
        if (a.Error is not null) return Fail(a.Error);
        await using var stores = await OfflineStores.OpenAsync(a["--data"], CancellationToken.None).ConfigureAwait(false);
        var now = stores.Clock.GetCurrentInstant();
        switch (args[0])
        {
            case "add":
                if (a["--name"] is not { } name || !Enum.TryParse<Role>(a["--role"], ignoreCase: true, out var role) || !Enum.IsDefined(role))
                    return Fail("add needs --name and a --role of auditor, operator, engineer, manager or admin");
                Instant? expires = null;
                if (a["--days"] is { } days)
                {
                    if (!int.TryParse(days, out var d) || d is < 1 or > 3650) return Fail("--days must be 1 to 3650");
                    expires = now + Duration.FromDays(d);
                }
                var created = await stores.Tokens.CreateAsync(name, role, now, expires, CancellationToken.None).ConfigureAwait(false);
                await stores.AuditAsync("tokens.add", $"{created.Record.Id}:{name}").ConfigureAwait(false);
                // The only copy of the secret: on stdout alone, so that scripts can capture it.
                Console.WriteLine(created.Token);
                return 0;
            case "list":
                Console.WriteLine($"{"ID",4} {"NAME",-24} {"ROLE",-9} {"CREATED (UTC)",-17} STATE");
                foreach (var t in await stores.Tokens.ListAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    var state = t.Revoked is not null ? "revoked" : t.Expires is { } e && e <= now ? "expired" : "live";
                    Console.WriteLine($"{t.Id,4} {t.Name,-24} {t.Role.ToString().ToLowerInvariant(),-9} {t.Created.ToString("uuuu-MM-dd HH:mm", null),-17} {state}");
                }
                await stores.AuditAsync("tokens.list", null).ConfigureAwait(false);
                return 0;
            case "revoke":
                if (!long.TryParse(a["--id"], out var id)) return Fail("revoke needs --id N (see tokens list)");
                await stores.Tokens.RevokeAsync(id, now, CancellationToken.None).ConfigureAwait(false);
                await stores.AuditAsync("tokens.revoke", id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
                Console.WriteLine($"revoked token {id}");
                return 0;
            default:
                return Fail($"unknown subcommand '{args[0]}'");
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"eqiot cloud tokens: {message}\n{Usage}");
        return 2;
    }
}
