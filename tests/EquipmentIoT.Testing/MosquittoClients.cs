using System.Globalization;
using System.Security.Cryptography;

namespace EquipmentIoT.Testing;

/// <summary>Runs the real mosquitto_pub / mosquitto_sub clients against a <see cref="MosquittoBroker"/>.</summary>
public static class MosquittoClients
{
    private static readonly TimeSpan SubscribeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DefaultSubscriberLifetime = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Host and port arguments for a client; with <paramref name="useTls"/> the TLS port, the test CA
    /// and, when the broker requires one, the generated client certificate and key.
    /// </summary>
    public static IReadOnlyList<string> ConnectionArguments(MosquittoBroker broker, bool useTls = false)
    {
        ArgumentNullException.ThrowIfNull(broker);
        if (!useTls)
        {
            return ["-h", broker.Host, "-p", Text(broker.Port)];
        }

        List<string> arguments = ["-h", broker.Host, "-p", Text(broker.TlsPort), "--cafile", broker.CaFile];
        if (broker.Options.RequireClientCertificate)
        {
            arguments.AddRange(["--cert", broker.ClientCertFile, "--key", broker.ClientKeyFile]);
        }

        return arguments;
    }

    /// <summary>
    /// Starts <c>mosquitto_sub -t topic -q qos -C count -W lifetime</c> and returns once the broker has
    /// added the subscription (its "clientid qos topic" log line, written after the subscription is in
    /// place), so anything published afterwards reaches it. Wait for it with
    /// <see cref="ChildProcess.WaitForExitAsync"/> and read <see cref="ChildProcess.StdoutLines"/>.
    /// The helper sets <c>-i</c>; <paramref name="extraArgs"/> may add more <c>-t</c>, <c>-v</c>, <c>-V</c>, ….
    /// </summary>
    public static async Task<ChildProcess> StartSubscriberAsync(
        MosquittoBroker broker,
        string topic,
        int qos = 0,
        int count = 1,
        IEnumerable<string>? extraArgs = null,
        bool useTls = false,
        TimeSpan? lifetime = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var extra = extraArgs?.ToList() ?? [];
        var clientId = "eqiot-sub-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var seconds = (int)Math.Max(1, Math.Ceiling((lifetime ?? DefaultSubscriberLifetime).TotalSeconds));
        var arguments = ConnectionArguments(broker, useTls)
            .Concat(["-i", clientId, "-t", topic, "-q", Text(qos), "-C", Text(count), "-W", Text(seconds)])
            .Concat(extra);
        var subscriber = ChildProcess.Start(ExternalTool.MosquittoSub, arguments);
        try
        {
            string[] topics = [topic, .. TopicArguments(extra)];
            await Wait.UntilAsync(
                () => IsSubscribed(broker, subscriber, clientId, topics), SubscribeTimeout, $"{clientId} to subscribe to {topic}", cancellationToken)
                .ConfigureAwait(false);
            return subscriber;
        }
        catch
        {
            await subscriber.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs <c>mosquitto_pub -t topic -m message -q qos</c> to completion (bounded).</summary>
    /// <exception cref="InvalidOperationException">mosquitto_pub failed; the message holds its stderr.</exception>
    public static async Task PublishAsync(
        MosquittoBroker broker,
        string topic,
        string message,
        int qos = 0,
        IEnumerable<string>? extraArgs = null,
        bool useTls = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentNullException.ThrowIfNull(message);
        var arguments = ConnectionArguments(broker, useTls)
            .Concat(["-t", topic, "-m", message, "-q", Text(qos)])
            .Concat(extraArgs ?? []);
        await using var publisher = ChildProcess.Start(ExternalTool.MosquittoPub, arguments);
        var exitCode = await publisher.WaitForExitAsync(PublishTimeout, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"'{publisher.Description}' exited with {exitCode}: {publisher.StderrTail()}");
        }
    }

    private static bool IsSubscribed(MosquittoBroker broker, ChildProcess subscriber, string clientId, string[] topics)
    {
        // Checked before HasExited: a retained message can satisfy -C and end the subscriber at once.
        var log = broker.Log;
        if (topics.All(topic => log.Any(line => IsSubscribeLine(line, clientId, topic))))
        {
            return true;
        }

        if (subscriber.HasExited)
        {
            throw new InvalidOperationException(
                $"'{subscriber.Description}' exited before subscribing: {subscriber.StderrTail()}");
        }

        return false;
    }

    /// <summary>
    /// True for the line mosquitto 2.0 logs once a subscription is in place (log_type subscribe, after sub__add):
    /// "&lt;time&gt;: &lt;clientid&gt; &lt;granted qos&gt; &lt;topic&gt;".
    /// </summary>
    public static bool IsSubscribeLine(string line, string clientId, string topic) =>
        line.Contains($": {clientId} ", StringComparison.Ordinal) && line.EndsWith($" {topic}", StringComparison.Ordinal);

    private static IEnumerable<string> TopicArguments(List<string> arguments)
    {
        for (var i = 0; i + 1 < arguments.Count; i++)
        {
            if (arguments[i] is "-t" or "--topic")
            {
                yield return arguments[i + 1];
            }
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
