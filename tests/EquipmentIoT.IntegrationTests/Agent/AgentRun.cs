using System.Text.Json;
using System.Text.Json.Nodes;
using EquipmentIoT.IntegrationTests.Mqtt;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Agent;

/// <summary>
/// One edge agent under test: a temp data directory with keys made by <c>eqiot agent keygen</c>, a
/// configuration written as JSON, and the real <c>eqiot-agent run</c> process, started, stopped (SIGTERM)
/// or killed (SIGKILL) and started again on the same data.
/// </summary>
internal sealed class AgentRun : IAsyncDisposable
{
    private readonly List<string> _log = [];
    private readonly Lock _logLock = new();
    private ChildProcess? _process;

    private AgentRun(string directory, string agentId, JsonObject config)
    {
        Directory = directory;
        AgentId = agentId;
        Config = config;
    }

    public string Directory { get; }

    public string AgentId { get; }

    /// <summary>The configuration; change it before <see cref="StartAsync"/> (it is written at each start).</summary>
    public JsonObject Config { get; }

    public string DataDirectory => Path.Combine(Directory, "data");

    public string ConfigFile => Path.Combine(Directory, "agent.json");

    public string PublicKeyFile => Path.Combine(DataDirectory, "keys", "agent.pub.pem");

    public string PrivateKeyFile => Path.Combine(DataDirectory, "keys", "agent.key");

    public string BufferDirectory => Path.Combine(DataDirectory, "buffer");

    public ChildProcess Process => _process ?? throw new InvalidOperationException("not started");

    /// <summary>Every stderr line of every run so far (logs go to stderr).</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_logLock) return _log.ToList();
        }
    }

    /// <summary>A new agent with its keys; <paramref name="devices"/> is the Agent:Devices array.</summary>
    public static async Task<AgentRun> CreateAsync(string agentId, JsonArray devices, Action<JsonObject>? configure = null)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("eqiot-agent-test-").FullName;
        var agent = new JsonObject
        {
            ["Id"] = agentId,
            [nameof(DataDirectory)] = Path.Combine(dir, "data"),
            ["Batch"] = new JsonObject { ["MaxPoints"] = 500, ["MaxEvents"] = 100, ["MaxAge"] = "00:00:00.200" },
            ["Health"] = new JsonObject { ["Interval"] = "00:00:01" },
            ["Transport"] = new JsonObject { ["Kind"] = "mqtt", ["Mqtt"] = new JsonObject { ["MaxReconnectDelay"] = "00:00:01" } },
            ["Devices"] = devices,
        };
        var config = new JsonObject
        {
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Information" } },
            ["Agent"] = agent,
        };
        configure?.Invoke(agent);
        var run = new AgentRun(dir, agentId, config);
        await using var keygen = EqiotAgent.Start(["keygen", "--out", Path.Combine(dir, "data", "keys")]);
        var exit = await keygen.WaitForExitAsync(TimeSpan.FromSeconds(60));
        if (exit != 0) throw new InvalidOperationException($"keygen exited {exit}: {keygen.StderrTail()}");
        return run;
    }

    /// <summary>A synthetic device producing <paramref name="metrics"/> generated metrics every <paramref name="interval"/>, plus optional events.</summary>
    public static JsonObject SyntheticDevice(string id, int metrics, string interval = "00:00:00.100", string? stateEvery = null,
        string? examEvery = null, bool fakePatients = false, int seed = 1) => new()
    {
        ["Id"] = id,
        ["Kind"] = "mr",
        ["Adapter"] = "synthetic",
        ["Synthetic"] = new JsonObject
        {
            ["Interval"] = interval,
            ["GeneratedMetrics"] = metrics,
            ["StateChangeEvery"] = stateEvery,
            ["ExamEvery"] = examEvery,
            ["IncludeFakePatientData"] = fakePatients,
            ["Seed"] = seed,
        },
    };

    public Task StartAsync(MosquittoBroker broker, IReadOnlyDictionary<string, string?>? environment = null) =>
        StartAsync($"mqtt://127.0.0.1:{broker.Port}", environment);

    public async Task StartAsync(string brokerUrl, IReadOnlyDictionary<string, string?>? environment = null)
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("already running");
        if (_process is not null) await _process.DisposeAsync();
        await File.WriteAllTextAsync(ConfigFile, Config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        _process = ChildProcess.Start(EqiotAgent.DotnetHost, [EqiotAgent.Dll, "run", "--config", ConfigFile, "--broker", brokerUrl],
            environment: environment,
            onStderrLine: line =>
            {
                lock (_logLock) _log.Add(line);
            });
        await WaitForLogAsync(l => l.Contains("starting: data in", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the agent to start");
    }

    public async Task WaitForLogAsync(Func<string, bool> predicate, TimeSpan timeout, string what)
    {
        try
        {
            await Wait.UntilAsync(() => Log.Any(predicate) || _process is { HasExited: true }, timeout, what);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; the agent's last log lines:\n{string.Join('\n', Log.TakeLast(30))}", e);
        }

        if (!Log.Any(predicate))
            throw new InvalidOperationException($"the agent exited before {what}; its last log lines:\n{string.Join('\n', Log.TakeLast(30))}");
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
        if (_process is not null) await _process.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Leave it for the OS to clean /tmp.
        }
    }
}
