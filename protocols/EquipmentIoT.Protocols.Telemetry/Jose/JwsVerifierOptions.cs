namespace EquipmentIoT.Protocols.Telemetry.Jose;

/// <summary>Limits and expectations of <see cref="JwsVerifier"/>.</summary>
public sealed class JwsVerifierOptions
{
    /// <summary>The defaults: 1 MiB and <c>cty</c> "eq-telemetry-v1+json" required.</summary>
    public static JwsVerifierOptions Default { get; } = new();

    /// <summary>Largest compact serialisation accepted, in bytes; checked before anything is decoded.</summary>
    public int MaxCompactBytes { get; init; } = TelemetryLimits.DefaultMaxCompactBytes;

    /// <summary>The <c>cty</c> the header must carry; null accepts any or none.</summary>
    public string? RequiredContentType { get; init; } = JwsSigner.ContentType;
}
