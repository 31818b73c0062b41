using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace EquipmentIoT.Cloud.Cli;

/// <summary>
/// <c>eqiot cloud builds …</c>: build records through the running cloud's HTTP API, with the caller's own token, so
/// that every entry is signed by its person and every read and change is in the audit log — never by writing the
/// database directly.
/// </summary>
internal static class BuildsCommand
{
    private const string Usage = """
        usage: eqiot cloud builds SUBCOMMAND [--api URL] [--token-file FILE]      (or EQIOT_API, EQIOT_TOKEN_FILE)
          list    [--device D] [--status running|completed|aborted|…] [--powder-lot L] [--case C] [--sealed true|false]
          show    --id N | --batch B
          trace   --batch B | --udi UDI | --powder-lot L | --case C | --device D [--from T] [--to T]
          entry   --id N --kind KIND --field key=value … [--corrects ENTRY]
                  kinds: order design material operator parameters post-processing cleaning packaging sterilisation inspection note
          part    --id N --field case_ref=… --field device_name=… [--field product=…]
          release --id N --decision released|rejected [--field reason=…]
          verify
          export  --id N [--html [--lang zh|en]] [--out FILE]
        """;

    private static readonly string[] Options =
        ["--device", "--status", "--powder-lot", "--case", "--sealed", "--id", "--batch", "--udi", "--from", "--to", "--kind", "--field", "--corrects", "--decision", "--lang", "--out"];

    public static Task<int> RunAsync(string[] args) => ApiCommandClient.RunAsync("builds", args, Usage, Options, ["--html"], RunAsync);

    private static async Task<int> RunAsync(string subcommand, CommandArguments a, ApiCommandClient api)
    {
        string Id() => Uri.EscapeDataString(a["--id"]!);
        switch (subcommand)
        {
            case "list":
                return await api.GetAsync("/api/v1/builds" + ApiCommandClient.Query(("device", a["--device"]), ("status", a["--status"]),
                    ("powderLot", a["--powder-lot"]), ("caseRef", a["--case"]), ("sealed", a["--sealed"]))).ConfigureAwait(false);
            case "show":
                if (a["--id"] is not null) return await api.GetAsync($"/api/v1/builds/{Id()}").ConfigureAwait(false);
                return a["--batch"] is { } batch
                    ? await api.GetAsync("/api/v1/builds/trace" + ApiCommandClient.Query(("batch", batch))).ConfigureAwait(false)
                    : Fail("show needs --id or --batch");
            case "trace":
                return await api.GetAsync("/api/v1/builds/trace" + ApiCommandClient.Query(("batch", a["--batch"]), ("udi", a["--udi"]),
                    ("powderLot", a["--powder-lot"]), ("caseRef", a["--case"]), ("device", a["--device"]), ("from", a["--from"]), ("to", a["--to"])))
                    .ConfigureAwait(false);
            case "entry":
                if (a["--id"] is null || a["--kind"] is not { } kind) return Fail("entry needs --id and --kind");
                if (!ApiCommandClient.TryFields(a, out var fields, out var error)) return Fail(error);
                long? corrects = a["--corrects"] is { } c ? long.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1 : null;
                if (corrects == -1) return Fail("--corrects must be an entry id");
                return await api.SendAsync(HttpMethod.Post, $"/api/v1/builds/{Id()}/entries", new { kind, fields, corrects }).ConfigureAwait(false);
            case "part":
                if (a["--id"] is null) return Fail("part needs --id");
                if (!ApiCommandClient.TryFields(a, out var partFields, out var partError)) return Fail(partError);
                return await api.SendAsync(HttpMethod.Post, $"/api/v1/builds/{Id()}/parts", new { fields = partFields }).ConfigureAwait(false);
            case "release":
                if (a["--id"] is null || a["--decision"] is not { } decision) return Fail("release needs --id and --decision released|rejected");
                if (!ApiCommandClient.TryFields(a, out var releaseFields, out var releaseError)) return Fail(releaseError);
                releaseFields["decision"] = decision;
                return await api.SendAsync(HttpMethod.Post, $"/api/v1/builds/{Id()}/release", new { fields = releaseFields }).ConfigureAwait(false);
            case "verify":
                using (var response = await api.Http.GetAsync(new Uri("/api/v1/builds/verify", UriKind.Relative)).ConfigureAwait(false))
                {
                    var code = await api.PrintAsync(response).ConfigureAwait(false);
                    if (code != 0) return code;
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
                    // For scripts and cron: a broken ledger is a failure exit, not just text.
                    return body.GetProperty("ok").GetBoolean() ? 0 : 3;
                }

            case "export":
                if (a["--id"] is null) return Fail("export needs --id");
                var path = a.Has("--html")
                    ? $"/api/v1/builds/{Id()}/report" + ApiCommandClient.Query(("lang", a["--lang"]))
                    : $"/api/v1/builds/{Id()}/export";
                using (var response = await api.Http.GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false))
                {
                    if (a["--out"] is not { } file || !response.IsSuccessStatusCode) return await api.PrintAsync(response).ConfigureAwait(false);
                    await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false)).ConfigureAwait(false);
                    Console.Error.WriteLine($"wrote {file}");
                    return 0;
                }

            default:
                return Fail($"unknown subcommand '{subcommand}'");
        }
    }

    private static int Fail(string message) => ApiCommandClient.Fail("builds", message, Usage);
}
