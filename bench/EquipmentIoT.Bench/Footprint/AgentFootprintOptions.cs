namespace EquipmentIoT.Bench.Footprint;

/// <summary>Options of <c>eqiot-bench agent-footprint</c>.</summary>
internal sealed class AgentFootprintOptions
{
    public const string PublishCommand = "dotnet publish edge-agent/EquipmentIoT.EdgeAgent -c Release -r linux-x64 -o /tmp/eqiot-agent-publish";

    // Checked 2026-11-22: the trimmer reports IL2026 for every [Range(typeof(TimeSpan), …)] on the agent's
    // options, and warnings are errors, so the plain publish fails until the agent deals with them.
    public const string PublishCaveat =
        "if it fails on IL2026 (trim warnings of [Range(typeof(TimeSpan), ...)] in the agent's options), add -p:TreatWarningsAsErrors=false to measure anyway";

    public const string Help = $"""
          eqiot-bench agent-footprint [--seconds 30] [--warmup 10] [--agent-binary PATH] [options]
            the real agent (eqiot-agent run) against a fresh local mosquitto, a generated configuration and a
            new data directory per phase: idle (one synthetic device, one metric at 1 Hz) and load (one
            synthetic device, 100 generated metrics every 100 ms = 1,000 points/s). After the warm-up, VmRSS
            is read every second and CPU time (utime + stime) over the rest of the phase; a subscriber in
            this process verifies and counts the points that reach the broker. SIGTERM at the end.
            --seconds N         length of each phase, warm-up included (30)
            --warmup N          seconds before measuring (10)
            --phase idle|load|both   which phases (both)
            --agent-dll PATH    the framework-dependent eqiot-agent.dll, run as 'dotnet PATH' (default: this
                                repository's Release build, dotnet build -c Release edge-agent/EquipmentIoT.EdgeAgent)
            --agent-binary PATH an executable agent instead, e.g. the trimmed self-contained one made by
                                {PublishCommand}
                                (then --agent-binary /tmp/eqiot-agent-publish/eqiot-agent);
                                {PublishCaveat}
            --agent-env K=V     environment for the agent only, e.g. DOTNET_GCgen0size=0x400000 (repeatable)
            --keep              keep the phases' directories (configuration, data, agent.log)
        """;

    public int Seconds { get; private set; } = 30;
    public int Warmup { get; private set; } = 10;
    public bool Idle { get; private set; } = true;
    public bool Load { get; private set; } = true;
    public string? AgentDll { get; private set; }
    public string? AgentBinary { get; private set; }
    public Dictionary<string, string?> AgentEnvironment { get; } = new(StringComparer.Ordinal);
    public bool Keep { get; private set; }
    public bool ShowHelp { get; private set; }

    /// <exception cref="CommandLineException">An option is unknown or has a bad value.</exception>
    public static AgentFootprintOptions Parse(IReadOnlyList<string> args)
    {
        var o = new AgentFootprintOptions();
        var a = new ArgumentReader(args);
        while (a.TryNext())
        {
            switch (a.Current)
            {
                case "--seconds": o.Seconds = a.Int(2, 86_400); break;
                case "--warmup": o.Warmup = a.Int(0, 86_400); break;
                case "--phase":
                    (o.Idle, o.Load) = a.Value() switch
                    {
                        "idle" => (true, false),
                        "load" => (false, true),
                        "both" => (true, true),
                        var other => throw new CommandLineException($"--phase takes idle, load or both, not '{other}'"),
                    };
                    break;
                case "--agent-dll": o.AgentDll = a.Value(); break;
                case "--agent-binary": o.AgentBinary = a.Value(); break;
                case "--agent-env":
                    var pair = a.Value();
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0) throw new CommandLineException($"--agent-env takes NAME=VALUE, not '{pair}'");
                    o.AgentEnvironment[pair[..eq]] = pair[(eq + 1)..];
                    break;
                case "--keep": o.Keep = true; break;
                case "--help" or "-h": o.ShowHelp = true; break;
                default: throw a.Unknown();
            }
        }

        if (o.Warmup >= o.Seconds) throw new CommandLineException($"--warmup ({o.Warmup} s) must be shorter than --seconds ({o.Seconds} s)");
        if (o.AgentDll is not null && o.AgentBinary is not null) throw new CommandLineException("give --agent-dll or --agent-binary, not both");
        return o;
    }
}
