namespace EquipmentIoT.Cloud.Cli;

/// <summary><c>eqiot cloud alarms …</c>: alarms, rules and the notification outbox through the API, with the caller's token.</summary>
internal static class AlarmsCommand
{
    private const string Usage = """
        usage: eqiot cloud alarms SUBCOMMAND [--api URL] [--token-file FILE]      (or EQIOT_API, EQIOT_TOKEN_FILE)
          list        [--device D] [--site S] [--severity critical|major|minor|warning] [--history]
          show        --id N
          ack         --id N [--comment TEXT]
          shelve      --id N --until 2026-12-02T18:00:00+08:00 [--comment TEXT]
          unshelve    --id N [--comment TEXT]
          resolve     --id N [--comment TEXT]
          rules
          messages    [--status pending|sending|sent|delivered|failed] [--channel sms|email|webhook] [--recipient R]
          requeue     --message N
        """;

    private static readonly string[] Options = ["--device", "--site", "--severity", "--id", "--comment", "--until", "--status", "--channel", "--recipient", "--message"];

    public static Task<int> RunAsync(string[] args) => ApiCommandClient.RunAsync("alarms", args, Usage, Options, ["--history"], RunAsync);

    private static async Task<int> RunAsync(string subcommand, CommandArguments a, ApiCommandClient api)
    {
        switch (subcommand)
        {
            case "list":
                return await api.GetAsync("/api/v1/alarms" + ApiCommandClient.Query(("open", a.Has("--history") ? "all" : null), ("device", a["--device"]),
                    ("site", a["--site"]), ("severity", a["--severity"]))).ConfigureAwait(false);
            case "show":
                return a["--id"] is { } id ? await api.GetAsync($"/api/v1/alarms/{Uri.EscapeDataString(id)}").ConfigureAwait(false) : Fail("show needs --id");
            case "ack" or "shelve" or "unshelve" or "resolve":
                if (a["--id"] is not { } alarm) return Fail($"{subcommand} needs --id");
                if (subcommand == "shelve" && a["--until"] is null) return Fail("shelve needs --until");
                var action = subcommand == "ack" ? "acknowledge" : subcommand;
                return await api.SendAsync(HttpMethod.Post, $"/api/v1/alarms/{Uri.EscapeDataString(alarm)}/{action}",
                    new { comment = a["--comment"], until = a["--until"] }).ConfigureAwait(false);
            case "rules":
                return await api.GetAsync("/api/v1/rules").ConfigureAwait(false);
            case "messages":
                return await api.GetAsync("/api/v1/notifications" + ApiCommandClient.Query(("status", a["--status"]), ("channel", a["--channel"]),
                    ("recipient", a["--recipient"]))).ConfigureAwait(false);
            case "requeue":
                return a["--message"] is { } message
                    ? await api.SendAsync(HttpMethod.Post, $"/api/v1/notifications/{Uri.EscapeDataString(message)}/requeue", new { }).ConfigureAwait(false)
                    : Fail("requeue needs --message");
            default:
                return Fail($"unknown subcommand '{subcommand}'");
        }
    }

    private static int Fail(string message) => ApiCommandClient.Fail("alarms", message, Usage);
}
