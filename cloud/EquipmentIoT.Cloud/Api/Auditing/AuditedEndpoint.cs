namespace EquipmentIoT.Cloud.Api.Auditing;

/// <summary>Endpoint metadata: requests to this endpoint are written to the audit log, denials included.</summary>
public sealed class AuditedEndpoint
{
    public static AuditedEndpoint Instance { get; } = new();

    private AuditedEndpoint()
    {
    }
}
