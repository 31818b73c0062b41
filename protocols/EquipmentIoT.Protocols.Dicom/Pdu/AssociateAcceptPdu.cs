namespace EquipmentIoT.Protocols.Dicom.Pdu;

/// <summary>A-ASSOCIATE-AC (PS3.8 §9.3.3). The AE titles repeat the request's (sent, not tested).</summary>
public sealed record AssociateAcceptPdu(
    string CalledAeTitle,
    string CallingAeTitle,
    string ApplicationContext,
    IReadOnlyList<PresentationContextResult> PresentationContexts,
    UserInformation UserInformation) : DicomPdu
{
    /// <summary>The protocol version: bit 0 set for version 1.</summary>
    public ushort ProtocolVersion { get; init; } = 1;

    /// <inheritdoc/>
    public override PduType Type => PduType.AssociateAccept;
}

/// <summary>Result/reason of one presentation context (PS3.8 §9.3.3.2, Table 9-18).</summary>
public enum PresentationContextResultCode : byte
{
    /// <summary>0: acceptance.</summary>
    Acceptance = 0,
    /// <summary>1: user-rejection.</summary>
    UserRejection = 1,
    /// <summary>2: no-reason (provider rejection).</summary>
    NoReason = 2,
    /// <summary>3: abstract-syntax-not-supported (provider rejection).</summary>
    AbstractSyntaxNotSupported = 3,
    /// <summary>4: transfer-syntaxes-not-supported (provider rejection).</summary>
    TransferSyntaxesNotSupported = 4,
}

/// <summary>The answer to one proposed presentation context: the accepted transfer syntax when accepted.</summary>
public sealed record PresentationContextResult(byte Id, PresentationContextResultCode Result, string? TransferSyntax);
