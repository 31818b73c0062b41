namespace EquipmentIoT.Testing;

/// <summary>How <see cref="MosquittoBroker.StartAsync"/> configures the broker.</summary>
public sealed record MosquittoOptions
{
    /// <summary>Adds a second, TLS listener using a freshly generated CA and server certificate.</summary>
    public bool Tls { get; init; }

    /// <summary>
    /// With <see cref="Tls"/>: clients must present a certificate signed by the test CA
    /// (<c>require_certificate true</c>, <c>use_identity_as_username false</c>).
    /// </summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>CN of the generated client certificate.</summary>
    public string ClientCommonName { get; init; } = "eqiot-test-client";

    /// <summary>
    /// Keeps sessions, queued and retained messages in the broker's directory across restarts
    /// (saved on graceful stop and every second, so a SIGKILL loses at most about a second).
    /// </summary>
    public bool Persistence { get; init; }

    /// <summary>Whether clients without a username may connect (applies to every listener).</summary>
    public bool AllowAnonymous { get; init; } = true;

    /// <summary>Username → password pairs for a password file (hashed with mosquitto_passwd).</summary>
    public IReadOnlyDictionary<string, string>? Users { get; init; }

    /// <summary>Raw mosquitto.conf lines appended at the end, after the listeners (so listener-scoped options apply to the last listener).</summary>
    public IReadOnlyList<string> ExtraConfigLines { get; init; } = [];
}
