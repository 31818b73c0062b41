using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace EquipmentIoT.Testing;

/// <summary>
/// A private InfluxDB 1.x (Debian's <c>influxdb</c>) for tests and benchmarks: a generated config in its own temp
/// directory (meta, data and WAL there, reporting disabled, quiet logging, continuous queries checked every
/// second), HTTP and the RPC bind address on free loopback ports, optionally with authentication and an admin
/// user. Started once per test class (see the fixtures) with a fresh database per test. Disposing kills it and
/// deletes the directory.
/// </summary>
public sealed class InfluxServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly ChildProcess _process;
    private readonly HttpClient _http;
    private int _databases;

    private InfluxServer(ChildProcess process, string directory, int port, string? adminPassword)
    {
        _process = process;
        Directory = directory;
        Uri = new Uri($"http://127.0.0.1:{port}/");
        AdminPassword = adminPassword;
        _http = new HttpClient { BaseAddress = Uri, Timeout = TimeSpan.FromSeconds(30) };
        if (adminPassword is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AdminUser}:{adminPassword}")));
        }
    }

    /// <summary>The admin user created when authentication is on.</summary>
    public const string AdminUser = "admin";

    /// <summary>The HTTP API's base address.</summary>
    public Uri Uri { get; }

    /// <summary>The server's temp directory (config, meta, data, wal).</summary>
    public string Directory { get; }

    /// <summary>The admin password, or null when authentication is off.</summary>
    public string? AdminPassword { get; }

    /// <summary>The server's log so far.</summary>
    public string LogTail => _process.StderrTail(40);

    /// <summary>
    /// Starts influxd and returns once <c>/ping</c> answers (bounded, 30 s). With <paramref name="authentication"/>,
    /// auth is enabled and an admin user (<see cref="AdminUser"/>, a generated password) is created.
    /// </summary>
    /// <exception cref="InvalidOperationException">influxd is missing (names the Debian package) or did not start (with its log).</exception>
    public static async Task<InfluxServer> StartAsync(bool authentication = false, CancellationToken cancellationToken = default)
    {
        var influxd = ExternalTool.Require("influxd", "influxdb");
        var directory = System.IO.Directory.CreateTempSubdirectory("eqiot-influx-").FullName;
        var port = FreePort.Next();
        var config = Path.Combine(directory, "influxdb.conf");
        await File.WriteAllTextAsync(config, Config(directory, port, FreePort.Next(), authentication), cancellationToken).ConfigureAwait(false);
        var process = ChildProcess.Start(influxd, ["-config", config], directory);
        var server = new InfluxServer(process, directory, port, authentication ? Convert.ToHexString(Guid.NewGuid().ToByteArray()) : null);
        try
        {
            await Wait.UntilAsync(server.PingAsync, StartTimeout, $"influxd to answer /ping on {server.Uri}", cancellationToken).ConfigureAwait(false);
            if (server.AdminPassword is { } password)
            {
                // With auth on and no user yet, InfluxDB 1.x accepts exactly this statement without credentials.
                await server.QueryAsync($"CREATE USER {AdminUser} WITH PASSWORD '{password}' WITH ALL PRIVILEGES", post: true, cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
            }
            return server;
        }
        catch (Exception ex) when (ex is TimeoutException or HttpRequestException)
        {
            var log = server.LogTail;
            await server.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"influxd did not start: {ex.Message}; log:\n{log}", ex);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates a database with a fresh name (db1, db2, …) and returns the name.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = $"db{Interlocked.Increment(ref _databases)}";
        await QueryAsync($"CREATE DATABASE \"{name}\"", post: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>
    /// Runs InfluxQL as the admin (times as Unix milliseconds) and returns the parsed answer.
    /// </summary>
    /// <exception cref="InvalidOperationException">The answer is not 200 or carries an error (the message holds it).</exception>
    public async Task<JsonDocument> QueryAsync(string query, string? database = null, bool post = false, CancellationToken cancellationToken = default)
    {
        var form = new Dictionary<string, string> { ["q"] = query, ["epoch"] = "ms" };
        if (database is not null) form["db"] = database;
        using var content = new FormUrlEncodedContent(form);
        using var response = post
            ? await _http.PostAsync(new Uri("query", UriKind.Relative), content, cancellationToken).ConfigureAwait(false)
            : await _http.GetAsync(new Uri("query?" + await content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), UriKind.Relative), cancellationToken)
                .ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode || text.Contains("\"error\"", StringComparison.Ordinal))
            throw new InvalidOperationException($"InfluxDB query '{query}' failed: HTTP {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text);
    }

    /// <summary>Kills the server and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync().ConfigureAwait(false);
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }

    private async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        if (_process.HasExited) throw new InvalidOperationException($"influxd exited during start-up; log:\n{LogTail}");
        try
        {
            using var response = await _http.GetAsync(new Uri("ping", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            return response.StatusCode == System.Net.HttpStatusCode.NoContent;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static string Config(string directory, int httpPort, int rpcPort, bool authentication) => $"""
        reporting-disabled = true
        bind-address = "127.0.0.1:{rpcPort}"

        [meta]
          dir = "{Path.Combine(directory, "meta")}"
          logging-enabled = false

        [data]
          dir = "{Path.Combine(directory, "data")}"
          wal-dir = "{Path.Combine(directory, "wal")}"
          query-log-enabled = false
          trace-logging-enabled = false

        [monitor]
          store-enabled = false

        [http]
          enabled = true
          bind-address = "127.0.0.1:{httpPort}"
          auth-enabled = {(authentication ? "true" : "false")}
          log-enabled = false
          pprof-enabled = false
          max-body-size = 0

        [logging]
          level = "warn"
          suppress-logo = true

        [continuous_queries]
          enabled = true
          log-enabled = false
          run-interval = "1s"
        """;
}
