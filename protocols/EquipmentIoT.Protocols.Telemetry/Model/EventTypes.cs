namespace EquipmentIoT.Protocols.Telemetry.Model;

/// <summary>The event types of envelope v1 (SPEC.md §event types). Other types are allowed if they contain a dot-free vendor prefix "x-".</summary>
public static class EventTypes
{
    /// <summary>The device changed state; data: <c>state</c>, optional <c>previous</c>.</summary>
    public const string State = "state";
    /// <summary>A fault code was raised or cleared; data: <c>code</c>, <c>active</c>, optional <c>text</c>, <c>severity</c>.</summary>
    public const string Fault = "fault";
    /// <summary>An exam started (MPPS IN PROGRESS); data after PHI scrubbing.</summary>
    public const string ExamStarted = "exam.started";
    /// <summary>An exam completed (MPPS COMPLETED).</summary>
    public const string ExamCompleted = "exam.completed";
    /// <summary>An exam was discontinued (MPPS DISCONTINUED).</summary>
    public const string ExamDiscontinued = "exam.discontinued";
    /// <summary>A build job started; data: <c>job</c>, <c>layers</c>, …</summary>
    public const string BuildStarted = "build.started";
    /// <summary>A build layer finished; data: <c>job</c>, <c>layer</c>, …</summary>
    public const string BuildLayer = "build.layer";
    /// <summary>A build job ended; data: <c>job</c>, <c>result</c>, …</summary>
    public const string BuildFinished = "build.finished";
    /// <summary>The agent itself reports something (adapter up/down, buffer policy applied, recovery cut bytes).</summary>
    public const string Agent = "agent";
}
