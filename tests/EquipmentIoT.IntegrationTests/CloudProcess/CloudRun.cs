using System.Net.Http.Headers;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.CloudProcess;

/// <summary>
/// One cloud instance under test: a temp data directory, an admin API token made with <c>eqiot cloud tokens add</c>,
/// and the real <c>eqiot-cloud run</c> process on a free loopback port — started, stopped (SIGTERM), killed
/// (SIGKILL) and started again on the same data.
/// </summary>
internal sealed class CloudRun : IAsyncDisposable
{
    private readonly List<string> _log = [];
    private readonly Lock _logLock = new();
    private readonly bool _ownsDirectory;
    private ChildProcess? _process;

    private CloudRun(string dataDirectory, bool ownsDirectory, string token, IReadOnlyDictionary<string, string?>? environment = null)
    {
        DataDirectory = dataDirectory;
        Environment = environment;
        _ownsDirectory = ownsDirectory;
        Token = token;
        Port = FreePort.Next();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public string DataDirectory { get; }

    /// <summary>Variables every command of this instance runs with (such as <c>EQIOT_Storage__Records=postgres</c>), or null.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; }

    /// <summary>An admin token for <see cref="Http"/>.</summary>
    public string Token { get; }

    public int Port { get; }

    /// <summary>A client of the API with the admin token.</summary>
    public HttpClient Http { get; }

    public ChildProcess Process => _process ?? throw new InvalidOperationException("not started");

    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_logLock) return _log.ToList();
        }
    }

    /// <summary>
    /// A new instance on a new data directory, or on <paramref name="dataDirectory"/> shared with another instance; with
    /// <paramref name="environment"/> (storage settings) for its commands and its run. <paramref name="tokenName"/> must differ
    /// between instances that share their records.
    /// </summary>
    public static async Task<CloudRun> CreateAsync(string? dataDirectory = null, IReadOnlyDictionary<string, string?>? environment = null,
        string tokenName = "tests")
    {
        var owns = dataDirectory is null;
        dataDirectory ??= Directory.CreateTempSubdirectory("eqiot-cloud-test-").FullName;
        var token = (await EqiotCloud.RunAsync(environment, "tokens", "add", "--name", tokenName, "--role", "admin", "--data", dataDirectory)).Trim();
        return new CloudRun(dataDirectory, owns, token, environment);
    }

    /// <summary>A new instance on a new data directory restored from <paramref name="backupFile"/> with <c>eqiot cloud restore</c>.</summary>
    public static async Task<CloudRun> CreateRestoredAsync(string backupFile)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("eqiot-cloud-restored-").FullName;
        await EqiotCloud.RunAsync("restore", backupFile, "--data", dataDirectory);
        // The backup holds the first instance's token named "tests"; names of live tokens are unique.
        var token = (await EqiotCloud.RunAsync("tokens", "add", "--name", "tests-restored", "--role", "admin", "--data", dataDirectory)).Trim();
        return new CloudRun(dataDirectory, ownsDirectory: true, token);
    }

    /// <summary>Registers an agent's public key with <c>eqiot cloud agents add</c>.</summary>
    public Task<string> AddAgentAsync(string agentId, string publicKeyFile) =>
        EqiotCloud.RunAsync(Environment, "agents", "add", "--id", agentId, "--public-key", publicKeyFile, "--data", DataDirectory);

    /// <summary>Starts <c>eqiot-cloud run</c> (with <paramref name="configFile"/> as <c>--config</c>, if any) and waits until /healthz answers 200.</summary>
    public async Task StartAsync(MosquittoBroker broker, string instance = "1", string? configFile = null)
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("already running");
        if (_process is not null) await _process.DisposeAsync();
        _process = EqiotCloud.Start(["run", "--broker", $"mqtt://127.0.0.1:{broker.Port}", "--data", DataDirectory,
            "--urls", $"http://127.0.0.1:{Port}", "--instance", instance, .. configFile is null ? Array.Empty<string>() : ["--config", configFile]], line =>
            {
                lock (_logLock) _log.Add(line);
            }, Environment);
        try
        {
            await Wait.UntilAsync(async token => _process.HasExited || await IsHealthyAsync(token), TimeSpan.FromSeconds(60), "the cloud's /healthz");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; the cloud's last log lines:\n{string.Join('\n', Log.TakeLast(30))}", e);
        }
        if (_process.HasExited)
            throw new InvalidOperationException($"the cloud exited at start; its last log lines:\n{string.Join('\n', Log.TakeLast(30))}");
    }

    private async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>SIGTERM and wait for a graceful exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        Process.Kill(Signal.Term);
        return await Process.WaitForExitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        Process.Kill(Signal.Kill);
        await Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_process is not null) await _process.DisposeAsync();
        if (!_ownsDirectory) return;
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Leave it for the OS to clean /tmp.
        }
    }
}
