namespace EquipmentIoT.Protocols.Dicom.Services;

/// <summary>Performed Procedure Step Status (0040,0252) defined terms (PS3.3 C.4.14).</summary>
public static class PerformedProcedureStepStatus
{
    /// <summary>Started but not complete.</summary>
    public const string InProgress = "IN PROGRESS";

    /// <summary>Canceled or unsuccessfully terminated.</summary>
    public const string Discontinued = "DISCONTINUED";

    /// <summary>Successfully completed.</summary>
    public const string Completed = "COMPLETED";

    /// <summary>True for COMPLETED and DISCONTINUED, after which the instance may no longer be updated (PS3.4 F.7.2.2).</summary>
    public static bool IsFinal(string status) => status is Completed or Discontinued;

    /// <summary>True for one of the three defined terms.</summary>
    public static bool IsDefined(string status) => status is InProgress or Completed or Discontinued;
}
