using EquipmentIoT.Cloud.Builds;

namespace EquipmentIoT.Cloud.Api.Contracts;

/// <summary>An operator entry: its kind, fields, and the entry it corrects (required on a sealed record).</summary>
public sealed record AddBuildEntryRequest(string Kind, Dictionary<string, string> Fields, long? Corrects = null);

/// <summary>A part: <c>case_ref</c> and <c>device_name</c> are required; <c>product</c> picks the GTIN.</summary>
public sealed record AddBuildPartRequest(Dictionary<string, string> Fields);

/// <summary>The release decision: <c>decision</c> = released | rejected, and any further fields (reason, …).</summary>
public sealed record ReleaseBuildRequest(Dictionary<string, string> Fields);

/// <summary>What a release did: the decision entry and the seal link.</summary>
public sealed record ReleaseBuildResponse(BuildEntry Decision, BuildLedgerLink Seal);

/// <summary>A traceability answer: the builds and parts that match.</summary>
public sealed record TraceResponse(string Query, IReadOnlyList<BuildRecord> Builds, IReadOnlyList<BuildPart> Parts);
