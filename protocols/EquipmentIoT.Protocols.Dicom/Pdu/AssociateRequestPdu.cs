namespace EquipmentIoT.Protocols.Dicom.Pdu;

/// <summary>A-ASSOCIATE-RQ (PS3.8 §9.3.2).</summary>
/// <param name="CalledAeTitle">The AE title the requestor wants to reach (ours, for an SCP).</param>
/// <param name="CallingAeTitle">The requestor's AE title.</param>
/// <param name="ApplicationContext">The application context name (<see cref="DicomUids.ApplicationContext"/>).</param>
/// <param name="PresentationContexts">The proposed presentation contexts.</param>
/// <param name="UserInformation">Maximum length, implementation class UID and version name.</param>
public sealed record AssociateRequestPdu(
    string CalledAeTitle,
    string CallingAeTitle,
    string ApplicationContext,
    IReadOnlyList<PresentationContextProposal> PresentationContexts,
    UserInformation UserInformation) : DicomPdu
{
    /// <summary>The protocol version: bit 0 set for version 1 (PS3.8 §9.3.2).</summary>
    public ushort ProtocolVersion { get; init; } = 1;

    /// <inheritdoc/>
    public override PduType Type => PduType.AssociateRequest;
}

/// <summary>One proposed presentation context (PS3.8 §9.3.2.2): an odd id, an abstract syntax and the transfer syntaxes offered.</summary>
public sealed record PresentationContextProposal(byte Id, string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes);

/// <summary>
/// The user information item (PS3.8 §9.3.2.3, PS3.7 Annex D.3.3): maximum length received (0 = no limit),
/// implementation class UID and version name. Other sub-items (asynchronous operations, role selection,
/// extended negotiation) are read past and not proposed.
/// </summary>
public sealed record UserInformation(uint MaxLength, string ImplementationClassUid, string? ImplementationVersionName);
