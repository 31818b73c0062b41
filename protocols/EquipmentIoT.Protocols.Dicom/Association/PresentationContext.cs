using EquipmentIoT.Protocols.Dicom.Pdu;

namespace EquipmentIoT.Protocols.Dicom.Association;

/// <summary>An accepted presentation context: id, abstract syntax and the one transfer syntax chosen.</summary>
public sealed record PresentationContext(byte Id, string AbstractSyntax, string TransferSyntax)
{
    /// <summary>True for Explicit VR Little Endian; false for Implicit VR Little Endian.</summary>
    public bool IsExplicitVR => TransferSyntax == DicomUids.ExplicitVRLittleEndian;
}

/// <summary>What was agreed when an association was established.</summary>
/// <param name="CallingAeTitle">The requestor's AE title.</param>
/// <param name="CalledAeTitle">The acceptor's AE title.</param>
/// <param name="Contexts">The accepted presentation contexts, by id.</param>
/// <param name="PeerMaxLength">The peer's maximum length received (0: no limit): P-DATA-TF PDUs we send stay within it.</param>
/// <param name="PeerImplementationClassUid">The peer's implementation class UID.</param>
/// <param name="PeerImplementationVersionName">The peer's implementation version name, when sent.</param>
public sealed record AssociationInfo(
    string CallingAeTitle,
    string CalledAeTitle,
    IReadOnlyDictionary<byte, PresentationContext> Contexts,
    uint PeerMaxLength,
    string PeerImplementationClassUid,
    string? PeerImplementationVersionName)
{
    /// <summary>The remote end point, for logs.</summary>
    public string? RemoteEndPoint { get; init; }

    /// <summary>The first accepted context for <paramref name="abstractSyntax"/>, or null.</summary>
    public PresentationContext? FindContext(string abstractSyntax) =>
        Contexts.Values.OrderBy(c => c.Id).FirstOrDefault(c => c.AbstractSyntax == abstractSyntax);
}

/// <summary>The outcome of negotiation: an A-ASSOCIATE-AC with the association's terms, or an A-ASSOCIATE-RJ.</summary>
public sealed record NegotiationResult(AssociateAcceptPdu? Accept, AssociationInfo? Association, AssociateRejectPdu? Reject);
