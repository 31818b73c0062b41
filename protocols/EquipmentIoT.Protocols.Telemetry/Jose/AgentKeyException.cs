namespace EquipmentIoT.Protocols.Telemetry.Jose;

/// <summary>
/// An agent key file or PEM text cannot be used: missing, unreadable, not PEM, corrupt, encrypted,
/// the wrong kind (public instead of private, RSA, Ed25519) or on a curve other than P-256. The
/// message names the source and says what was found; it never contains key material.
/// </summary>
public sealed class AgentKeyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AgentKeyException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public AgentKeyException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception.</summary>
    public AgentKeyException() : base("the agent key cannot be used") { }
}
