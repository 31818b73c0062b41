using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EquipmentIoT.Cloud.Api;

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
    [
        "--api", "--token-file", "--device", "--status", "--powder-lot", "--case", "--sealed", "--id", "--batch", "--udi", "--from", "--to", "--kind",
        "--field", "--corrects", "--decision", "--lang", "--out",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        var a = CommandArguments.Parse(args[1..], Options, ["--html"]);
        if (a.Help)
        {
            Console.WriteLine(Usage);
            return 0;
        }

        if (a.Error is not null) return Fail(a.Error);
        var tokenFile = a["--token-file"] ?? Environment.GetEnvironmentVariable("EQIOT_TOKEN_FILE");
        if (tokenFile is null) return Fail("--token-file FILE (or EQIOT_TOKEN_FILE) is required: the file holding your API token (eqiot cloud tokens add)");
        string token;
        try
        {
            token = (await File.ReadAllTextAsync(tokenFile).ConfigureAwait(false)).Trim();
        }
        catch (IOException e)
        {
            return Fail($"cannot read the token file: {e.Message}");
        }

        using var http = new HttpClient
        {
            BaseAddress = new Uri(a["--api"] ?? Environment.GetEnvironmentVariable("EQIOT_API") ?? "http://127.0.0.1:8080"),
            Timeout = TimeSpan.FromSeconds(60),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            return await RunAsync(args[0], a, http).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return Fail($"the cloud at {http.BaseAddress} did not answer: {e.Message}");
        }
    }

    private static async Task<int> RunAsync(string subcommand, CommandArguments a, HttpClient http)
    {
        switch (subcommand)
        {
            case "list":
                return await GetAsync(http, "/api/v1/builds" + Query(("device", a["--device"]), ("status", a["--status"]), ("powderLot", a["--powder-lot"]),
                    ("caseRef", a["--case"]), ("sealed", a["--sealed"]))).ConfigureAwait(false);
            case "show":
                if (a["--id"] is { } id) return await GetAsync(http, $"/api/v1/builds/{Uri.EscapeDataString(id)}").ConfigureAwait(false);
                return a["--batch"] is { } batch
                    ? await GetAsync(http, "/api/v1/builds/trace" + Query(("batch", batch))).ConfigureAwait(false)
                    : Fail("show needs --id or --batch");
            case "trace":
                return await GetAsync(http, "/api/v1/builds/trace" + Query(("batch", a["--batch"]), ("udi", a["--udi"]), ("powderLot", a["--powder-lot"]),
                    ("caseRef", a["--case"]), ("device", a["--device"]), ("from", a["--from"]), ("to", a["--to"]))).ConfigureAwait(false);
            case "entry":
                if (a["--id"] is not { } entryBuild || a["--kind"] is not { } kind) return Fail("entry needs --id and --kind");
                if (!TryFields(a, out var fields, out var error)) return Fail(error);
                long? corrects = a["--corrects"] is { } c ? long.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1 : null;
                if (corrects == -1) return Fail("--corrects must be an entry id");
                return await PostAsync(http, $"/api/v1/builds/{Uri.EscapeDataString(entryBuild)}/entries", new { kind, fields, corrects }).ConfigureAwait(false);
            case "part":
                if (a["--id"] is not { } partBuild) return Fail("part needs --id");
                if (!TryFields(a, out var partFields, out var partError)) return Fail(partError);
                return await PostAsync(http, $"/api/v1/builds/{Uri.EscapeDataString(partBuild)}/parts", new { fields = partFields }).ConfigureAwait(false);
            case "release":
                if (a["--id"] is not { } releaseBuild || a["--decision"] is not { } decision) return Fail("release needs --id and --decision released|rejected");
                if (!TryFields(a, out var releaseFields, out var releaseError)) return Fail(releaseError);
                releaseFields["decision"] = decision;
                return await PostAsync(http, $"/api/v1/builds/{Uri.EscapeDataString(releaseBuild)}/release", new { fields = releaseFields }).ConfigureAwait(false);
            case "verify":
                using (var response = await http.GetAsync(new Uri("/api/v1/builds/verify", UriKind.Relative)).ConfigureAwait(false))
                {
                    var code = await PrintAsync(response, Console.Out).ConfigureAwait(false);
                    if (code != 0) return code;
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
                    // For scripts and cron: a broken ledger is a failure exit, not just text.
                    return body.GetProperty("ok").GetBoolean() ? 0 : 3;
                }

            case "export":
                if (a["--id"] is not { } exportBuild) return Fail("export needs --id");
                var path = a.Has("--html")
                    ? $"/api/v1/builds/{Uri.EscapeDataString(exportBuild)}/report" + Query(("lang", a["--lang"]))
                    : $"/api/v1/builds/{Uri.EscapeDataString(exportBuild)}/export";
                using (var response = await http.GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false))
                {
                    if (a["--out"] is not { } file) return await PrintAsync(response, Console.Out).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode) return await PrintAsync(response, Console.Out).ConfigureAwait(false);
                    await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false)).ConfigureAwait(false);
                    Console.Error.WriteLine($"wrote {file}");
                    return 0;
                }

            default:
                return Fail($"unknown subcommand '{subcommand}'");
        }
    }

    private static bool TryFields(CommandArguments a, out Dictionary<string, string> fields, out string error)
    {
        fields = new Dictionary<string, string>(StringComparer.Ordinal);
        error = "";
        foreach (var field in a.All("--field"))
        {
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                error = $"--field '{field}' is not key=value";
                return false;
            }

            fields[field[..eq]] = field[(eq + 1)..];
        }

        return true;
    }

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join('&', given);
    }

    private static async Task<int> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false);
        return await PrintAsync(response, Console.Out).ConfigureAwait(false);
    }

    private static async Task<int> PostAsync(HttpClient http, string path, object body)
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        CloudApi.Configure(json);
        using var response = await http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, json).ConfigureAwait(false);
        return await PrintAsync(response, Console.Out).ConfigureAwait(false);
    }

    // The API's answer as it came (JSON or HTML) on stdout; a problem's detail on stderr with a failure exit.
    private static async Task<int> PrintAsync(HttpResponseMessage response, TextWriter output)
    {
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            await output.WriteLineAsync(text).ConfigureAwait(false);
            return 0;
        }

        var detail = text;
        try
        {
            using var problem = JsonDocument.Parse(text);
            if (problem.RootElement.TryGetProperty("detail", out var d)) detail = d.GetString() ?? text;
            else if (problem.RootElement.TryGetProperty("errors", out var errors)) detail = errors.ToString();
        }
        catch (JsonException)
        {
        }

        Console.Error.WriteLine($"eqiot cloud builds: {(int)response.StatusCode} {response.ReasonPhrase}: {detail}");
        return 1;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"eqiot cloud builds: {message}\n{Usage}");
        return 2;
    }
}
