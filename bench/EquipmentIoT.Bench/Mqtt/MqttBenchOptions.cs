namespace EquipmentIoT.Bench.Mqtt;

/// <summary>Options of <c>eqiot-bench mqtt</c>.</summary>
internal sealed class MqttBenchOptions
{
    public const string Help = """
          eqiot-bench mqtt [--messages N] [--runs R] [options]
            publish throughput of mosquitto_pub -l and eqiot-agent mqtt pub -l at QoS 0 and 1,
            200-byte lines to a fresh local mosquitto per run, counted at a mosquitto_sub subscriber.
            --messages N        messages per QoS 0 run (200,000)
            --qos1-messages N   messages per QoS 1 run (the smaller of --messages and 60,000: mosquitto_pub
                                2.0 -l queues all of stdin and its QoS 1 packet ids wrap past 65,535
                                queued messages, after which mosquitto disconnects it)
            --runs R            repetitions per row, the median is reported (3)
            --qos 0|1|0,1       which QoS levels (0,1)
            --agent PATH        the eqiot-agent to measure (default: the Release build in this repo,
                                dotnet build -c Release edge-agent/EquipmentIoT.EdgeAgent)
            --agent-env K=V     environment for eqiot-agent only, e.g. DOTNET_GCgen0size=0x400000 (repeatable)
        """;

    /// <summary>Where mosquitto_pub 2.0's -l runs at QoS 1 start failing; see <see cref="Help"/>.</summary>
    private const long Qos1SafeMessages = 60_000;

    public long Messages { get; private set; } = 200_000;
    public long? Qos1MessagesOverride { get; private set; }
    public long Qos1Messages => Qos1MessagesOverride ?? Math.Min(Messages, Qos1SafeMessages);
    public int Runs { get; private set; } = 3;
    public IReadOnlyList<int> QosLevels { get; private set; } = [0, 1];
    public string? AgentPath { get; private set; }
    public Dictionary<string, string?> AgentEnvironment { get; } = new(StringComparer.Ordinal);
    public bool ShowHelp { get; private set; }

    public long MessagesFor(int qos) => qos == 0 ? Messages : Qos1Messages;

    /// <exception cref="CommandLineException">An option is unknown or has a bad value.</exception>
    public static MqttBenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new MqttBenchOptions();
        var a = new ArgumentReader(args);
        while (a.TryNext())
        {
            switch (a.Current)
            {
                case "--messages": o.Messages = a.Long(1, int.MaxValue); break;
                case "--qos1-messages": o.Qos1MessagesOverride = a.Long(1, int.MaxValue); break;
                case "--runs": o.Runs = a.Int(1, 1000); break;
                case "--qos": o.QosLevels = ParseQos(a.Value()); break;
                case "--agent": o.AgentPath = a.Value(); break;
                case "--agent-env":
                    var pair = a.Value();
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0) throw new CommandLineException($"--agent-env takes NAME=VALUE, not '{pair}'");
                    o.AgentEnvironment[pair[..eq]] = pair[(eq + 1)..];
                    break;
                case "--help" or "-h": o.ShowHelp = true; break;
                default: throw a.Unknown();
            }
        }
        return o;
    }

    private static int[] ParseQos(string text) => text switch
    {
        "0" => [0],
        "1" => [1],
        "0,1" or "1,0" => [0, 1],
        _ => throw new CommandLineException($"--qos takes 0, 1 or 0,1, not '{text}'"),
    };
}
