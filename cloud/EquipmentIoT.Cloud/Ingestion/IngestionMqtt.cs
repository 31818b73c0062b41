using EquipmentIoT.EdgeAgent.Publishing;
using EquipmentIoT.Protocols.Mqtt.Client;

namespace EquipmentIoT.Cloud.Ingestion;

/// <summary>The MQTT client settings of ingestion: persistent session under a stable id, pipelined acknowledgements.</summary>
internal static class IngestionMqtt
{
    /// <summary>Builds (and so validates) the client options; reads the password file.</summary>
    public static MqttClientOptions Build(IngestionOptions o, MqttRetryPolicy retry, TimeProvider time)
    {
        var broker = BrokerAddress.Parse(o.Broker);
        var builder = new MqttClientOptionsBuilder()
            .WithBroker(broker.Host, broker.Port)
            .WithClientId(o.EffectiveClientId)
            // Persistent: what agents publish while ingestion is down waits at the broker (within its queue limits).
            .WithCleanSession(false)
            .WithKeepAlive(o.KeepAlive)
            .WithMaxPendingAcknowledgements(o.MaxPendingAcknowledgements)
            .WithReconnect(true, retry)
            .With(x => x with { TimeProvider = time, ReceiveQueueCapacity = Math.Max(x.ReceiveQueueCapacity, o.MaxPendingAcknowledgements) });
        if (broker.Tls) builder.WithTls(NullIfEmpty(o.CaFile), NullIfEmpty(o.CertFile), NullIfEmpty(o.CertKeyFile));
        if (!string.IsNullOrEmpty(o.UserName))
        {
            var password = string.IsNullOrEmpty(o.PasswordFile) ? null : File.ReadAllText(o.PasswordFile).TrimEnd('\r', '\n');
            builder.WithCredentials(o.UserName, password);
        }
        return builder.Build();
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
