using System.Text.Json;

namespace EquipmentIoT.Cloud.Cli;

/// <summary><c>eqiot cloud licences …</c>: the configuration-licence register through the API, with the caller's token.</summary>
internal static class LicencesCommand
{
    private const string Usage = """
        usage: eqiot cloud licences SUBCOMMAND [--api URL] [--token-file FILE]      (or EQIOT_API, EQIOT_TOKEN_FILE)
          list     [--band blue|yellow|orange|red] [--region R] [--category classA|classB] [--site S] [--sort deadline|-deadline]
          show     --id N
          add      --json FILE                 a licence as JSON (number, category, equipmentType, holder, region, authority,
                                               issueDate, deadline, form, siteId, managers: [{name, phone}])
          update   --id N --json FILE
          fulfil   --id N --device D [--on 2027-05-01] [--note TEXT]
          revoke   --id N --reason TEXT [--on 2027-05-01]
          report   --period month|year [--date 2027-03-01] [--csv] [--lang zh|en]
        """;

    private static readonly string[] Options = ["--band", "--region", "--category", "--site", "--sort", "--id", "--json", "--device", "--on", "--note", "--reason",
        "--period", "--date", "--lang"];

    public static Task<int> RunAsync(string[] args) => ApiCommandClient.RunAsync("licences", args, Usage, Options, ["--csv"], RunAsync);

    private static async Task<int> RunAsync(string subcommand, CommandArguments a, ApiCommandClient api)
    {
        string Id() => Uri.EscapeDataString(a["--id"]!);
        switch (subcommand)
        {
            case "list":
                return await api.GetAsync("/api/v1/licences" + ApiCommandClient.Query(("band", a["--band"]), ("region", a["--region"]),
                    ("category", a["--category"]), ("site", a["--site"]), ("sort", a["--sort"]))).ConfigureAwait(false);
            case "show":
                return a["--id"] is null ? Fail("show needs --id") : await api.GetAsync($"/api/v1/licences/{Id()}").ConfigureAwait(false);
            case "add" or "update":
                if (a["--json"] is not { } file || (subcommand == "update" && a["--id"] is null)) return Fail($"{subcommand} needs --json FILE{(subcommand == "update" ? " and --id" : "")}");
                JsonElement body;
                try
                {
                    using var document = JsonDocument.Parse(await File.ReadAllTextAsync(file).ConfigureAwait(false));
                    body = document.RootElement.Clone();
                }
                catch (Exception e) when (e is IOException or JsonException)
                {
                    return Fail($"cannot read {file}: {e.Message}");
                }

                return subcommand == "add"
                    ? await api.SendAsync(HttpMethod.Post, "/api/v1/licences", body).ConfigureAwait(false)
                    : await api.SendAsync(HttpMethod.Put, $"/api/v1/licences/{Id()}", body).ConfigureAwait(false);
            case "fulfil":
                if (a["--id"] is null || a["--device"] is null) return Fail("fulfil needs --id and --device");
                return await api.SendAsync(HttpMethod.Post, $"/api/v1/licences/{Id()}/fulfil", new { deviceId = a["--device"], on = a["--on"], note = a["--note"] })
                    .ConfigureAwait(false);
            case "revoke":
                if (a["--id"] is null || a["--reason"] is null) return Fail("revoke needs --id and --reason");
                return await api.SendAsync(HttpMethod.Post, $"/api/v1/licences/{Id()}/revoke", new { reason = a["--reason"], on = a["--on"] }).ConfigureAwait(false);
            case "report":
                return await api.GetAsync("/api/v1/licences/report" + ApiCommandClient.Query(("period", a["--period"] ?? "month"), ("date", a["--date"]),
                    ("format", a.Has("--csv") ? "csv" : null), ("lang", a["--lang"]))).ConfigureAwait(false);
            default:
                return Fail($"unknown subcommand '{subcommand}'");
        }
    }

    private static int Fail(string message) => ApiCommandClient.Fail("licences", message, Usage);
}
