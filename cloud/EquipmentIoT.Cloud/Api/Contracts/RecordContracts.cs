using EquipmentIoT.Cloud.Storage;
using NodaTime;

namespace EquipmentIoT.Cloud.Api.Contracts;

/// <summary>A quarantined message; the payload (base64) only when asked for by a role allowed to see it.</summary>
public sealed record QuarantineItem(long Id, string Agent, string? Kid, string? Stream, long? Seq, QuarantineReason Reason, string Detail,
    Instant Received, int PayloadBytes, string? PayloadBase64)
{
    public static QuarantineItem Of(QuarantineRecord r, bool withPayload) =>
        new(r.Id, r.Agent, r.Kid, r.Stream, r.Seq, r.Reason, r.Detail, r.Received, r.PayloadBytes, withPayload ? Convert.ToBase64String(r.Payload) : null);
}

/// <summary>An agent's integrity figures and its open gaps.</summary>
public sealed record IntegrityDetail(IntegritySummary Summary, IReadOnlyList<GapRecord> OpenGaps);

/// <summary>Creates an API token; <paramref name="Expires"/> null = never.</summary>
public sealed record CreateTokenRequest(string Name, Role Role, Instant? Expires);
