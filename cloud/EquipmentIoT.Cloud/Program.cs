using EquipmentIoT.Cloud.Cli;

// eqiot-cloud: verified ingestion, the embedded stores, the registry and the HTTP API.
return args switch
{
    ["run", .. var rest] => await RunCommand.RunAsync(rest),
    ["agents", .. var rest] => await AgentsCommand.RunAsync(rest),
    ["tokens", .. var rest] => await TokensCommand.RunAsync(rest),
    ["users", .. var rest] => await UsersCommand.RunAsync(rest),
    ["builds", .. var rest] => await BuildsCommand.RunAsync(rest),
    ["alarms", .. var rest] => await AlarmsCommand.RunAsync(rest),
    ["licences", .. var rest] => await LicencesCommand.RunAsync(rest),
    ["work-orders", .. var rest] => await WorkOrdersCommand.RunAsync(rest),
    ["backup", .. var rest] => await BackupCommand.RunAsync(rest),
    ["restore", .. var rest] => await RestoreCommand.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("""
        eqiot cloud — EquipmentIoT cloud service

          eqiot cloud run [--config FILE] [--broker mqtt://HOST:PORT] [--data DIR] [--urls http://127.0.0.1:PORT]
                                 verify, store and serve the fleet's telemetry (embedded SQLite stores)
          eqiot cloud agents add --id ID --public-key FILE [--site SITE] [--data DIR]
                                 register an agent's signing key (from: eqiot agent keygen)
          eqiot cloud agents list|rotate|revoke …
          eqiot cloud tokens add --name NAME --role auditor|operator|engineer|manager|admin [--days N] [--data DIR]
          eqiot cloud tokens list [--data DIR]
          eqiot cloud users add|list|passwd|lock|unlock …   web UI users (password from stdin or --password-file)
          eqiot cloud builds list|show|trace|entry|part|release|verify|export …   (through the API, with your token)
                                 AM build records: log, release and seal, trace, verify, export (JSON or printable HTML)
          eqiot cloud alarms list|show|ack|shelve|unshelve|resolve|rules|messages|requeue …   (through the API)
                                 alarms, the rules in force, and every notification sent with its delivery
          eqiot cloud licences list|show|add|update|fulfil|revoke|report …   configuration licences and their colour bands
          eqiot cloud work-orders list|show|assign|start|done|verify|cancel|overdue|plans …   maintenance work orders
          eqiot cloud backup FILE [--data DIR]     consistent online backup while ingestion runs
          eqiot cloud restore FILE [--data DIR] [--force]   bring a stopped instance back
        """);
    return 2;
}
