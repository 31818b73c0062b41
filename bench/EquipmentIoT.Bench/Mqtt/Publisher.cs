using System.Globalization;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Bench.Mqtt;

/// <summary>One publisher under test: how to start it, with which options, and how it is labelled.</summary>
/// <param name="Label">The row label in the table.</param>
/// <param name="IsReference">mosquitto_pub: the row ours is compared with.</param>
/// <param name="FileName">The executable.</param>
/// <param name="Arguments">Its arguments against a broker.</param>
/// <param name="Environment">Extra environment (eqiot-agent's --agent-env).</param>
internal sealed record Publisher(
    string Label,
    bool IsReference,
    string FileName,
    Func<MosquittoBroker, IReadOnlyList<string>> Arguments,
    IReadOnlyDictionary<string, string?> Environment)
{
    public const string Topic = "bench";

    /// <summary>mosquitto_pub's (libmosquitto's) own in-flight window for QoS 1/2: the like-for-like row.</summary>
    public const int MosquittoPubMaxInflight = 20;

    /// <summary>
    /// The second QoS 1 row: eqiot-agent's window before the client default became 20. Passed explicitly
    /// so the row keeps meaning the same whatever the default is.
    /// </summary>
    public const int WideWindow = 64;

    /// <summary>The publishers measured at <paramref name="qos"/>, mosquitto_pub first.</summary>
    public static IReadOnlyList<Publisher> For(int qos, string agentPath, IReadOnlyDictionary<string, string?> agentEnvironment)
    {
        var mosquittoPub = new Publisher(
            qos == 0 ? "mosquitto_pub -l" : $"mosquitto_pub -l -M {MosquittoPubMaxInflight}",
            IsReference: true,
            ExternalTool.MosquittoPub,
            broker => [.. MosquittoClients.ConnectionArguments(broker), "-t", Topic, "-q", Text(qos), "-l",
                .. qos > 0 ? ["-M", Text(MosquittoPubMaxInflight)] : Array.Empty<string>()],
            new Dictionary<string, string?>());
        Publisher Agent(string label, int? maxInflight) => new(
            label,
            IsReference: false,
            agentPath,
            broker => ["mqtt", "pub", .. MosquittoClients.ConnectionArguments(broker), "-t", Topic, "-q", Text(qos), "-l", "--stats",
                .. maxInflight is { } window ? ["--max-inflight", Text(window)] : Array.Empty<string>()],
            agentEnvironment);

        return qos == 0
            ? [mosquittoPub, Agent("eqiot-agent", null)]
            : [mosquittoPub, Agent($"eqiot-agent --max-inflight {MosquittoPubMaxInflight}", MosquittoPubMaxInflight),
                Agent($"eqiot-agent --max-inflight {WideWindow} (wider)", WideWindow)];
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
