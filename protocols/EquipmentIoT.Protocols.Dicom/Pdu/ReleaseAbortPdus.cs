namespace EquipmentIoT.Protocols.Dicom.Pdu;

/// <summary>A-RELEASE-RQ (PS3.8 §9.3.6).</summary>
public sealed record ReleaseRequestPdu : DicomPdu
{
    /// <summary>The one instance (the PDU has no fields).</summary>
    public static ReleaseRequestPdu Instance { get; } = new();

    /// <inheritdoc/>
    public override PduType Type => PduType.ReleaseRequest;
}

/// <summary>A-RELEASE-RP (PS3.8 §9.3.7).</summary>
public sealed record ReleaseResponsePdu : DicomPdu
{
    /// <summary>The one instance (the PDU has no fields).</summary>
    public static ReleaseResponsePdu Instance { get; } = new();

    /// <inheritdoc/>
    public override PduType Type => PduType.ReleaseResponse;
}

/// <summary>A-ABORT (PS3.8 §9.3.8). <see cref="Reason"/> is significant only when the source is the service provider.</summary>
public sealed record AbortPdu(AbortSource Source, AbortReason Reason) : DicomPdu
{
    /// <inheritdoc/>
    public override PduType Type => PduType.Abort;
}

/// <summary>A-ABORT source (PS3.8 Table 9-26).</summary>
public enum AbortSource : byte
{
    /// <summary>0: DICOM UL service-user (initiated abort).</summary>
    ServiceUser = 0,
    /// <summary>1: reserved.</summary>
    Reserved = 1,
    /// <summary>2: DICOM UL service-provider (initiated abort).</summary>
    ServiceProvider = 2,
}

/// <summary>A-ABORT reason when the source is the service provider (PS3.8 Table 9-26).</summary>
public enum AbortReason : byte
{
    /// <summary>0: reason-not-specified.</summary>
    NotSpecified = 0,
    /// <summary>1: unrecognized-PDU.</summary>
    UnrecognizedPdu = 1,
    /// <summary>2: unexpected-PDU.</summary>
    UnexpectedPdu = 2,
    /// <summary>4: unrecognized-PDU parameter.</summary>
    UnrecognizedPduParameter = 4,
    /// <summary>5: unexpected-PDU parameter.</summary>
    UnexpectedPduParameter = 5,
    /// <summary>6: invalid-PDU-parameter value.</summary>
    InvalidPduParameterValue = 6,
}
