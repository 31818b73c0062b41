using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EquipmentIoT.Cloud.Api;

namespace EquipmentIoT.Cloud.Cli;

/// <summary>
/// The commands that work through the running cloud's HTTP API (builds, alarms, licences, work orders): the caller's own
/// token (from <c>--token-file</c> or EQIOT_TOKEN_FILE) so that the API's roles apply and the audit log names the person;
/// answers printed as the API gives them (JSON or HTML) on stdout, problems on stderr with a failure exit.
/// </summary>
internal sealed class ApiCommandClient : IDisposable
{
    /// <summary>The options every API command takes.</summary>
    public static readonly string[] Options = ["--api", "--token-file"];

    private readonly string _command;
    private readonly JsonSerializerOptions _json;

    private ApiCommandClient(string command, HttpClient http)
    {
        _command = command;
        Http = http;
        _json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        CloudApi.Configure(_json);
    }

    public HttpClient Http { get; }

    /// <summary>A client for <paramref name="a"/>'s --api and --token-file, or null with the error printed.</summary>
    public static async Task<ApiCommandClient?> CreateAsync(string command, CommandArguments a, string usage)
    {
        ArgumentNullException.ThrowIfNull(a);
        var tokenFile = a["--token-file"] ?? Environment.GetEnvironmentVariable("EQIOT_TOKEN_FILE");
        if (tokenFile is null)
        {
            Console.Error.WriteLine($"eqiot cloud {command}: --token-file FILE (or EQIOT_TOKEN_FILE) is required: the file holding your API token (eqiot cloud tokens add)\n{usage}");
            return null;
        }

        string token;
        try
        {
            token = (await File.ReadAllTextAsync(tokenFile).ConfigureAwait(false)).Trim();
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"eqiot cloud {command}: cannot read the token file: {e.Message}");
            return null;
        }

        var http = new HttpClient
        {
            BaseAddress = new Uri(a["--api"] ?? Environment.GetEnvironmentVariable("EQIOT_API") ?? "http://127.0.0.1:8080"),
            Timeout = TimeSpan.FromSeconds(60),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new ApiCommandClient(command, http);
    }

    /// <summary>GET and print.</summary>
    public async Task<int> GetAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false);
        return await PrintAsync(response).ConfigureAwait(false);
    }

    /// <summary>POST (or PUT) JSON and print.</summary>
    public async Task<int> SendAsync(HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body, options: _json) };
        using var response = await Http.SendAsync(request).ConfigureAwait(false);
        return await PrintAsync(response).ConfigureAwait(false);
    }

    /// <summary>The answer on stdout; a problem's detail on stderr with exit 1.</summary>
    public async Task<int> PrintAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            Console.WriteLine(text);
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

        Console.Error.WriteLine($"eqiot cloud {_command}: {(int)response.StatusCode} {response.ReasonPhrase}: {detail}");
        return 1;
    }

    /// <summary><c>?a=1&amp;b=2</c> of the given (non-empty) parameters.</summary>
    public static string Query(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join('&', given);
    }

    /// <summary>The repeated <c>--field key=value</c> options as a dictionary, or false with the bad one named.</summary>
    public static bool TryFields(CommandArguments a, out Dictionary<string, string> fields, out string error)
    {
        ArgumentNullException.ThrowIfNull(a);
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

    /// <summary>Runs a subcommand with a client, mapping an unreachable cloud to one clear line.</summary>
    public static async Task<int> RunAsync(string command, string[] args, string usage, IReadOnlyCollection<string> options, IReadOnlyCollection<string>? switches,
        Func<string, CommandArguments, ApiCommandClient, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(run);
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine(usage);
            return args.Length == 0 ? 2 : 0;
        }

        var a = CommandArguments.Parse(args[1..], [.. Options, .. options], switches);
        if (a.Help)
        {
            Console.WriteLine(usage);
            return 0;
        }

        if (a.Error is not null) return Fail(command, a.Error, usage);
        using var client = await CreateAsync(command, a, usage).ConfigureAwait(false);
        if (client is null) return 2;
        try
        {
            return await run(args[0], a, client).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"eqiot cloud {command}: the cloud at {client.Http.BaseAddress} did not answer: {e.Message}");
            return 1;
        }
    }

    /// <summary>A usage error: the reason and the usage on stderr, exit 2.</summary>
    public static int Fail(string command, string message, string usage)
    {
        Console.Error.WriteLine($"eqiot cloud {command}: {message}\n{usage}");
        return 2;
    }

    public void Dispose() => Http.Dispose();
}
