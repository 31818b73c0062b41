namespace EquipmentIoT.Protocols.Dicom.Pdu;

/// <summary>A-ASSOCIATE-RJ (PS3.8 §9.3.4). <see cref="Reason"/> is read according to <see cref="Source"/> (Table 9-21).</summary>
public sealed record AssociateRejectPdu(AssociateRejectResult Result, AssociateRejectSource Source, byte Reason) : DicomPdu
{
    /// <summary>Reason 1 of source 1: no-reason-given.</summary>
    public const byte UserNoReasonGiven = 1;
    /// <summary>Reason 2 of source 1: application-context-name-not-supported.</summary>
    public const byte UserApplicationContextNotSupported = 2;
    /// <summary>Reason 3 of source 1: calling-AE-title-not-recognized.</summary>
    public const byte UserCallingAeNotRecognized = 3;
    /// <summary>Reason 7 of source 1: called-AE-title-not-recognized.</summary>
    public const byte UserCalledAeNotRecognized = 7;
    /// <summary>Reason 2 of source 2: protocol-version-not-supported.</summary>
    public const byte AcseProtocolVersionNotSupported = 2;
    /// <summary>Reason 1 of source 3: temporary-congestion.</summary>
    public const byte PresentationTemporaryCongestion = 1;
    /// <summary>Reason 2 of source 3: local-limit-exceeded.</summary>
    public const byte PresentationLocalLimitExceeded = 2;

    /// <inheritdoc/>
    public override PduType Type => PduType.AssociateReject;
}

/// <summary>A-ASSOCIATE-RJ result (PS3.8 Table 9-21).</summary>
public enum AssociateRejectResult : byte
{
    /// <summary>1: rejected-permanent.</summary>
    Permanent = 1,
    /// <summary>2: rejected-transient.</summary>
    Transient = 2,
}

/// <summary>A-ASSOCIATE-RJ source (PS3.8 Table 9-21).</summary>
public enum AssociateRejectSource : byte
{
    /// <summary>1: DICOM UL service-user.</summary>
    ServiceUser = 1,
    /// <summary>2: DICOM UL service-provider (ACSE related function).</summary>
    ServiceProviderAcse = 2,
    /// <summary>3: DICOM UL service-provider (presentation related function).</summary>
    ServiceProviderPresentation = 3,
}
