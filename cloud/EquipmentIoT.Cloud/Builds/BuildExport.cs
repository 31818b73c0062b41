using NodaTime;

namespace EquipmentIoT.Cloud.Builds;

/// <summary>
/// One build record as exported for an auditor: everything about it, the material whose process windows applied,
/// and for a sealed record the exact canonical text that was hashed (SHA-256 of its UTF-8 bytes is the seal link's
/// content hash, so the seal can be checked without our software) and the ledger's verification at export time.
/// </summary>
public sealed record BuildExport(string Format, Instant Exported, string ExportedBy, BuildDetail Build, string Material, string? Canonical,
    string? ContentHash, BuildVerification Verification)
{
    /// <summary>The format name and version of this document.</summary>
    public const string FormatName = "eqiot.build-record/1";

    /// <summary>Assembles the export of <paramref name="detail"/>.</summary>
    public static BuildExport Create(BuildDetail detail, string material, BuildVerification verification, Instant exported, string exportedBy)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var seal = detail.Ledger.LastOrDefault(l => l.Kind == BuildLedgerKind.Seal);
        var canonical = seal is null ? null : BuildVerifier.CanonicalText(detail, seal.LastEntryId);
        return new BuildExport(FormatName, exported, exportedBy, detail, material, canonical, seal?.ContentHash, verification);
    }
}
