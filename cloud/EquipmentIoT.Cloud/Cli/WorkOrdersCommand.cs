using System.Globalization;

namespace EquipmentIoT.Cloud.Cli;

/// <summary><c>eqiot cloud work-orders …</c>: maintenance work orders through the API, with the caller's token (engineers work and close them).</summary>
internal static class WorkOrdersCommand
{
    private const string Usage = """
        usage: eqiot cloud work-orders SUBCOMMAND [--api URL] [--token-file FILE]      (or EQIOT_API, EQIOT_TOKEN_FILE)
          list     [--device D] [--state open|assigned|inProgress|done|verified|cancelled] [--overdue]
          show     --id N
          assign   --id N --to NAME [--comment TEXT]
          start    --id N [--comment TEXT]
          done     --id N --notes TEXT --hours H [--part NAME:QUANTITY …]
          verify   --id N [--comment TEXT]        (someone other than who did the work)
          cancel   --id N --reason TEXT
          overdue
          plans    [--device D]
        """;

    private static readonly string[] Options = ["--device", "--state", "--id", "--to", "--comment", "--notes", "--hours", "--part", "--reason"];

    public static Task<int> RunAsync(string[] args) => ApiCommandClient.RunAsync("work-orders", args, Usage, Options, ["--overdue"], RunAsync);

    private static async Task<int> RunAsync(string subcommand, CommandArguments a, ApiCommandClient api)
    {
        string Path(string verb) => $"/api/v1/maintenance/work-orders/{Uri.EscapeDataString(a["--id"]!)}/{verb}";
        if (subcommand is "show" or "assign" or "start" or "done" or "verify" or "cancel" && a["--id"] is null) return Fail($"{subcommand} needs --id");
        switch (subcommand)
        {
            case "list":
                return await api.GetAsync("/api/v1/maintenance/work-orders" + ApiCommandClient.Query(("device", a["--device"]), ("state", a["--state"]),
                    ("overdue", a.Has("--overdue") ? "true" : null))).ConfigureAwait(false);
            case "show":
                return await api.GetAsync($"/api/v1/maintenance/work-orders/{Uri.EscapeDataString(a["--id"]!)}").ConfigureAwait(false);
            case "assign":
                return a["--to"] is { } to
                    ? await api.SendAsync(HttpMethod.Post, Path("assign"), new { assignee = to, comment = a["--comment"] }).ConfigureAwait(false)
                    : Fail("assign needs --to");
            case "start" or "verify":
                return await api.SendAsync(HttpMethod.Post, Path(subcommand), new { comment = a["--comment"] }).ConfigureAwait(false);
            case "done":
                if (a["--notes"] is not { } notes || !double.TryParse(a["--hours"], NumberStyles.Float, CultureInfo.InvariantCulture, out var hours))
                    return Fail("done needs --notes and --hours (labour hours, e.g. 1.5)");
                var parts = new List<object>();
                foreach (var part in a.All("--part"))
                {
                    var colon = part.LastIndexOf(':');
                    if (colon <= 0 || !double.TryParse(part[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var quantity))
                        return Fail($"--part '{part}' is not NAME:QUANTITY");
                    parts.Add(new { part = part[..colon], quantity });
                }

                return await api.SendAsync(HttpMethod.Post, Path("done"), new { notes, labourHours = hours, parts }).ConfigureAwait(false);
            case "cancel":
                return a["--reason"] is { } reason
                    ? await api.SendAsync(HttpMethod.Post, Path("cancel"), new { reason }).ConfigureAwait(false)
                    : Fail("cancel needs --reason");
            case "overdue":
                return await api.GetAsync("/api/v1/maintenance/overdue").ConfigureAwait(false);
            case "plans":
                return await api.GetAsync("/api/v1/maintenance/plans" + ApiCommandClient.Query(("device", a["--device"]))).ConfigureAwait(false);
            default:
                return Fail($"unknown subcommand '{subcommand}'");
        }
    }

    private static int Fail(string message) => ApiCommandClient.Fail("work-orders", message, Usage);
}
