using EquipmentIoT.Cloud.Storage;
using NodaTime;

namespace EquipmentIoT.Cloud.Cli;

/// <summary>
/// <c>eqiot cloud agents add|list|rotate|revoke</c>: the registry from the command line, on the data directory
/// directly (the service may be running: SQLite lets both write). Every change is in the audit log as actor "cli".
/// </summary>
internal static class AgentsCommand
{
    private const string Usage = """
        usage: eqiot cloud agents add --id ID --public-key FILE [--site SITE] [--description TEXT] [--data DIR]
               eqiot cloud agents list [--data DIR]
               eqiot cloud agents rotate --id ID --public-key FILE [--data DIR]
               eqiot cloud agents revoke --kid KID --reason TEXT [--data DIR]
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0) return Fail("a subcommand is required");
        var a = CommandArguments.Parse(args[1..], ["--id", "--public-key", "--site", "--description", "--kid", "--reason", "--data"]);
        if (a.Help)
        {
            Console.WriteLine(Usage);
            return 0;
        }
        if (a.Error is not null) return Fail(a.Error);
        try
        {
            await using var stores = await OfflineStores.OpenAsync(a["--data"], CancellationToken.None).ConfigureAwait(false);
            return args[0] switch
            {
                "add" => await AddAsync(stores, a).ConfigureAwait(false),
                "list" => await ListAsync(stores).ConfigureAwait(false),
                "rotate" => await RotateAsync(stores, a).ConfigureAwait(false),
                "revoke" => await RevokeAsync(stores, a).ConfigureAwait(false),
                _ => Fail($"unknown subcommand '{args[0]}'"),
            };
        }
        catch (RegistryException e)
        {
            Console.Error.WriteLine($"eqiot cloud agents {args[0]}: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> AddAsync(OfflineStores stores, CommandArguments a)
    {
        if (a["--id"] is not { } id || a["--public-key"] is not { } keyFile) return Fail("add needs --id and --public-key");
        if (ReadKey(keyFile) is not { } pem) return 1;
        var now = stores.Clock.GetCurrentInstant();
        var agent = await stores.Registry.AddAgentAsync(new NewAgent(id, pem, a["--site"], a["--description"], now), CancellationToken.None).ConfigureAwait(false);
        await stores.AuditAsync("agents.add", id).ConfigureAwait(false);
        Console.WriteLine($"registered agent {agent.Id} with key {agent.Keys[0].Kid}");
        return 0;
    }

    private static async Task<int> RotateAsync(OfflineStores stores, CommandArguments a)
    {
        if (a["--id"] is not { } id || a["--public-key"] is not { } keyFile) return Fail("rotate needs --id and --public-key");
        if (ReadKey(keyFile) is not { } pem) return 1;
        var key = await stores.Registry.AddKeyAsync(id, pem, stores.Clock.GetCurrentInstant(), CancellationToken.None).ConfigureAwait(false);
        await stores.AuditAsync("agents.keys.add", id).ConfigureAwait(false);
        Console.WriteLine($"agent {id}: added key {key.Kid}; revoke the old one when the agent uses the new one (eqiot cloud agents revoke --kid …)");
        return 0;
    }

    private static async Task<int> RevokeAsync(OfflineStores stores, CommandArguments a)
    {
        if (a["--kid"] is not { } kid || a["--reason"] is not { } reason) return Fail("revoke needs --kid and --reason");
        var key = await stores.Registry.RevokeKeyAsync(kid, reason, stores.Clock.GetCurrentInstant(), CancellationToken.None).ConfigureAwait(false);
        await stores.AuditAsync("agents.keys.revoke", key.AgentId).ConfigureAwait(false);
        Console.WriteLine($"revoked key {kid} of agent {key.AgentId}: batches signed with it are quarantined from now on");
        return 0;
    }

    private static async Task<int> ListAsync(OfflineStores stores)
    {
        var agents = await stores.Registry.ListAgentsAsync(CancellationToken.None).ConfigureAwait(false);
        await stores.AuditAsync("agents.list", null).ConfigureAwait(false);
        Console.WriteLine($"{"AGENT",-24} {"SITE",-12} {"LAST SEEN (UTC)",-22} KEYS");
        foreach (var agent in agents)
        {
            var keys = string.Join(", ", agent.Keys.Select(k => k.IsRevoked ? $"{k.Kid[..8]}… (revoked)" : $"{k.Kid[..8]}…"));
            var seen = agent.LastSeen is { } s ? s.ToString("uuuu-MM-dd HH:mm:ss", null) : "never";
            Console.WriteLine($"{agent.Id,-24} {agent.Site ?? "-",-12} {seen,-22} {keys}");
        }
        return 0;
    }

    private static string? ReadKey(string file)
    {
        if (File.Exists(file)) return File.ReadAllText(file);
        Console.Error.WriteLine($"eqiot cloud agents: public key file '{file}' does not exist (eqiot agent keygen writes agent.pub.pem)");
        return null;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"eqiot cloud agents: {message}\n{Usage}");
        return 2;
    }
}
