using EquipmentIoT.Cloud.Maintenance;

namespace EquipmentIoT.Cloud.Api.Contracts;

/// <summary>Assigns a work order to someone (a person's or token's name).</summary>
public sealed record AssignWorkOrderRequest(string Assignee, string? Comment = null);

/// <summary>A comment for a start or a verification.</summary>
public sealed record WorkOrderCommentRequest(string? Comment = null);

/// <summary>The work done: notes, labour hours, parts used, and for a calibration the new certificate.</summary>
public sealed record WorkOrderDoneRequest(string Notes, double LabourHours, List<PartUsed>? Parts = null, string? Certificate = null);

/// <summary>Why a work order is cancelled.</summary>
public sealed record CancelWorkOrderRequest(string Reason);
