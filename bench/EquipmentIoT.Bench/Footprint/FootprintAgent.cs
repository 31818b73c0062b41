using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Bench.Footprint;

/// <summary>How to start the agent: <c>dotnet eqiot-agent.dll</c> or an executable (a self-contained publish).</summary>
/// <param name="FileName">The program started.</param>
/// <param name="Prefix">Arguments before <c>run …</c> (the dll for the dotnet host).</param>
/// <param name="Label">How the results name it.</param>
internal sealed record AgentCommand(string FileName, IReadOnlyList<string> Prefix, string Label)
{
    public static AgentCommand Dll(string dll) => new(DotnetHost(), [dll], $"dotnet {dll}");

    public static AgentCommand Binary(string path) => new(path, [], path);

    // The dotnet CLI tells the processes it starts where it lives; else the bench may itself run under it.
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } fromCli && File.Exists(fromCli)) return fromCli;
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return ExternalTool.Require("dotnet", "dotnet-sdk-10.0");
    }
}

/// <summary>
/// One real <c>eqiot-agent run</c> in its own directory: a generated configuration (agent.json), a new
/// data directory (the agent makes its key and site secret there on first start), its log (stderr) kept.
/// </summary>
internal sealed class FootprintAgent : IAsyncDisposable
{
    public const string AgentId = "footprint-agent";
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    private readonly ChildProcess _process;

    private FootprintAgent(ChildProcess process, long startTimestamp)
    {
        _process = process;
        StartTimestamp = startTimestamp;
    }

    /// <summary>The agent's pid: the dotnet host runs the app in its own process, so this is the agent either way.</summary>
    public int Pid => _process.Id;

    /// <summary><see cref="Stopwatch.GetTimestamp"/> just before the process was started.</summary>
    public long StartTimestamp { get; }

    public IReadOnlyList<string> Log => _process.StderrLines;

    public static string PublicKeyFile(string directory) => Path.Combine(DataDirectory(directory), "keys", "agent.pub.pem");

    /// <summary>Writes the configuration, starts the agent and returns once it logged its connection to the broker.</summary>
    public static async Task<FootprintAgent> StartAsync(AgentCommand command, string directory, JsonObject device, MosquittoBroker broker,
        IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        var config = new JsonObject
        {
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Information" } },
            ["Agent"] = new JsonObject
            {
                ["Id"] = AgentId,
                ["DataDirectory"] = DataDirectory(directory),
                ["Transport"] = new JsonObject { ["Kind"] = "mqtt", ["Mqtt"] = new JsonObject { ["MaxInflight"] = 20 } },
                ["Devices"] = new JsonArray(device),
            },
        };
        var configFile = Path.Combine(directory, "agent.json");
        await File.WriteAllTextAsync(configFile, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken)
            .ConfigureAwait(false);

        var start = Stopwatch.GetTimestamp();
        var process = ChildProcess.Start(command.FileName,
            [.. command.Prefix, "run", "--config", configFile, "--broker", $"mqtt://{broker.Host}:{broker.Port}"], directory, environment);
        var agent = new FootprintAgent(process, start);
        try
        {
            await Wait.UntilAsync(() => agent.Log.Any(l => l.Contains("Connected to", StringComparison.Ordinal)) || process.HasExited,
                ConnectTimeout, "the agent to connect to the broker", cancellationToken).ConfigureAwait(false);
            if (process.HasExited)
                throw new InvalidOperationException($"the agent exited during start-up; its log:\n{process.StderrTail()}");
            return agent;
        }
        catch
        {
            await agent.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>SIGTERM and a bounded wait; returns the exit code and how long the agent took to exit.</summary>
    public async Task<(int ExitCode, TimeSpan Took)> StopAsync(CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        _process.Kill(Signal.Term);
        var exit = await _process.WaitForExitAsync(StopTimeout, cancellationToken).ConfigureAwait(false);
        return (exit, Stopwatch.GetElapsedTime(start));
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    /// <summary>One synthetic device with one metric read every second.</summary>
    public static JsonObject IdleDevice() => new()
    {
        ["Id"] = "mr-01",
        ["Kind"] = "mr",
        ["Adapter"] = "synthetic",
        ["Synthetic"] = new JsonObject
        {
            ["Interval"] = "00:00:01",
            ["Metrics"] = new JsonArray(new JsonObject { ["Name"] = "helium_level", ["Unit"] = "%", ["Base"] = 72.0, ["Noise"] = 0.02 }),
            ["Seed"] = 1,
        },
    };

    /// <summary>One synthetic device with 100 generated metrics read every 100 ms: 1,000 points/s.</summary>
    public static JsonObject LoadDevice() => new()
    {
        ["Id"] = "mr-01",
        ["Kind"] = "mr",
        ["Adapter"] = "synthetic",
        ["Synthetic"] = new JsonObject { ["Interval"] = "00:00:00.100", ["GeneratedMetrics"] = 100, ["Seed"] = 1 },
    };

    private static string DataDirectory(string directory) => Path.Combine(directory, "data");
}
