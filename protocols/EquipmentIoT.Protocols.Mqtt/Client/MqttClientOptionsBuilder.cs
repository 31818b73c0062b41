using System.Security.Cryptography.X509Certificates;
using EquipmentIoT.Protocols.Mqtt.Topics;

namespace EquipmentIoT.Protocols.Mqtt.Client;

/// <summary>Builds <see cref="MqttClientOptions"/>; <see cref="Build"/> validates everything at once.</summary>
public sealed class MqttClientOptionsBuilder
{
    private MqttClientOptions _o = new();
    private bool _portSet;

    /// <summary>Broker address and port.</summary>
    public MqttClientOptionsBuilder WithBroker(string host, int? port = null)
    {
        _o = _o with { Host = host, Port = port ?? _o.Port };
        _portSet |= port is not null;
        return this;
    }

    /// <summary>Client identifier.</summary>
    public MqttClientOptionsBuilder WithClientId(string clientId) => Set(_o with { ClientId = clientId });

    /// <summary>Clean (true) or persistent (false) session.</summary>
    public MqttClientOptionsBuilder WithCleanSession(bool clean) => Set(_o with { CleanSession = clean });

    /// <summary>Keep-alive interval; zero turns it off.</summary>
    public MqttClientOptionsBuilder WithKeepAlive(TimeSpan keepAlive) => Set(_o with { KeepAlive = keepAlive });

    /// <summary>User name and password.</summary>
    public MqttClientOptionsBuilder WithCredentials(string userName, string? password)
    {
        _o = _o with { UserName = userName, Password = password };
        return this;
    }

    /// <summary>Last will.</summary>
    public MqttClientOptionsBuilder WithWill(MqttWill will) => Set(_o with { Will = will });

    /// <summary>TLS with a custom CA (PEM file) and an optional client certificate and key (PEM files).</summary>
    public MqttClientOptionsBuilder WithTls(string? caFile = null, string? certFile = null, string? keyFile = null, bool insecure = false)
    {
        var trusted = new X509Certificate2Collection();
        if (caFile is not null) trusted.ImportFromPemFile(caFile);
        var clients = new X509Certificate2Collection();
        if (certFile is not null)
        {
            using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
            // Round-trip through PKCS#12: SslStream on Linux wants a key it can hand to OpenSSL.
            clients.Add(X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null));
        }
        return WithTls(new MqttTlsOptions { TrustedCertificates = trusted, ClientCertificates = clients, AllowUntrustedServer = insecure });
    }

    /// <summary>TLS settings.</summary>
    public MqttClientOptionsBuilder WithTls(MqttTlsOptions tls)
    {
        _o = _o with { Tls = tls, Port = _portSet ? _o.Port : 8883 };
        return this;
    }

    /// <summary>Size of the QoS 1/2 in-flight window.</summary>
    public MqttClientOptionsBuilder WithMaxInflight(int max) => Set(_o with { MaxInflight = max });

    /// <summary>Handlers that may run at once, acknowledged in arrival order (see <see cref="MqttClientOptions.MaxPendingAcknowledgements"/>).</summary>
    public MqttClientOptionsBuilder WithMaxPendingAcknowledgements(int max) => Set(_o with { MaxPendingAcknowledgements = max });

    /// <summary>Automatic reconnect and its backoff.</summary>
    public MqttClientOptionsBuilder WithReconnect(bool enabled, MqttRetryPolicy? policy = null)
    {
        _o = _o with { AutoReconnect = enabled, RetryPolicy = policy ?? _o.RetryPolicy };
        return this;
    }

    /// <summary>Any other setting, as a modification of the options built so far.</summary>
    public MqttClientOptionsBuilder With(Func<MqttClientOptions, MqttClientOptions> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _o = change(_o);
        return this;
    }

    /// <summary>Validates and returns the options.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message says which.</exception>
    public MqttClientOptions Build()
    {
        var o = _o;
        if (string.IsNullOrWhiteSpace(o.Host)) throw new ArgumentException("Host is required");
        if (o.Port is < 1 or > 65535) throw new ArgumentException($"Port {o.Port} is not 1..65535");
        if (o.ClientId.Length == 0 && !o.CleanSession)
            throw new ArgumentException("a persistent session (CleanSession=false) needs a client id (3.1.3-7)");
        if (o.ClientId.Length > 0 && System.Text.Encoding.UTF8.GetByteCount(o.ClientId) > 65535)
            throw new ArgumentException("ClientId is longer than 65535 UTF-8 bytes");
        if (o.KeepAlive < TimeSpan.Zero || o.KeepAlive.TotalSeconds > ushort.MaxValue)
            throw new ArgumentException($"KeepAlive {o.KeepAlive} is not 0..65535 s (3.1.2.10)");
        if (o.Password is not null && o.UserName is null) throw new ArgumentException("a password needs a user name (3.1.2-22)");
        if (o.Will is { } will && MqttTopic.ValidateName(will.Topic) is { } why) throw new ArgumentException($"will topic '{will.Topic}': {why}");
        if (o.MaxInflight is < 1 or > 65_000) throw new ArgumentException($"MaxInflight {o.MaxInflight} is not 1..65000");
        if (o.MaxIncomingPacketSize < 64) throw new ArgumentException("MaxIncomingPacketSize must be at least 64 bytes");
        if (o.OutgoingHighWaterBytes < 1024) throw new ArgumentException("OutgoingHighWaterBytes must be at least 1024");
        if (o.ReceiveQueueCapacity < 1) throw new ArgumentException("ReceiveQueueCapacity must be at least 1");
        if (o.MaxPendingAcknowledgements is < 1 or > 65_535)
            throw new ArgumentException($"MaxPendingAcknowledgements {o.MaxPendingAcknowledgements} is not 1..65535");
        if (o.ConnectTimeout <= TimeSpan.Zero || o.PingTimeout <= TimeSpan.Zero || o.RequestTimeout <= TimeSpan.Zero)
            throw new ArgumentException("timeouts must be positive");
        return o;
    }

    private MqttClientOptionsBuilder Set(MqttClientOptions changed)
    {
        _o = changed;
        return this;
    }
}
