using EquipmentIoT.Protocols.Dicom.Pdu;

namespace EquipmentIoT.Protocols.Dicom.Association;

/// <summary>
/// The acceptor's decision on an A-ASSOCIATE-RQ (PS3.8 §7.1, PS3.7 Annex D): the application context, the
/// called and calling AE titles, and per presentation context the abstract syntax and the first proposed
/// transfer syntax we support. Pure: no I/O.
/// </summary>
public sealed class AssociationNegotiator
{
    private readonly string _aeTitle;
    private readonly IReadOnlySet<string>? _acceptedCallingAeTitles;
    private readonly IReadOnlySet<string> _abstractSyntaxes;
    private readonly uint _maxLength;

    /// <summary>Transfer syntaxes we accept, in our order of preference when a context proposes several.</summary>
    public static readonly IReadOnlyList<string> SupportedTransferSyntaxes = [DicomUids.ExplicitVRLittleEndian, DicomUids.ImplicitVRLittleEndian];

    /// <summary>Creates a negotiator.</summary>
    /// <param name="aeTitle">Our AE title: a request calling another is rejected (called-AE-title-not-recognized).</param>
    /// <param name="acceptedCallingAeTitles">Calling AE titles accepted; null accepts any.</param>
    /// <param name="abstractSyntaxes">SOP classes we serve.</param>
    /// <param name="maxLength">The maximum length received we announce.</param>
    public AssociationNegotiator(string aeTitle, IReadOnlySet<string>? acceptedCallingAeTitles, IReadOnlySet<string> abstractSyntaxes, uint maxLength)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(aeTitle);
        ArgumentNullException.ThrowIfNull(abstractSyntaxes);
        _aeTitle = aeTitle.Trim();
        _acceptedCallingAeTitles = acceptedCallingAeTitles;
        _abstractSyntaxes = abstractSyntaxes;
        _maxLength = maxLength;
    }

    /// <summary>Accepts or rejects <paramref name="request"/>.</summary>
    public NegotiationResult Negotiate(AssociateRequestPdu request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // PS3.8 Table 9-21: protocol version 1 missing is the provider's (ACSE) rejection; a wrong AE title
        // or context name the service user's; all rejected-permanent.
        if ((request.ProtocolVersion & 1) == 0)
            return Rejected(AssociateRejectSource.ServiceProviderAcse, AssociateRejectPdu.AcseProtocolVersionNotSupported);
        if (request.ApplicationContext != DicomUids.ApplicationContext)
            return Rejected(AssociateRejectSource.ServiceUser, AssociateRejectPdu.UserApplicationContextNotSupported);
        if (!string.Equals(request.CalledAeTitle, _aeTitle, StringComparison.Ordinal))
            return Rejected(AssociateRejectSource.ServiceUser, AssociateRejectPdu.UserCalledAeNotRecognized);
        if (_acceptedCallingAeTitles is not null && !_acceptedCallingAeTitles.Contains(request.CallingAeTitle))
            return Rejected(AssociateRejectSource.ServiceUser, AssociateRejectPdu.UserCallingAeNotRecognized);

        var results = new List<PresentationContextResult>(request.PresentationContexts.Count);
        var accepted = new Dictionary<byte, PresentationContext>();
        foreach (var pc in request.PresentationContexts)
        {
            if (accepted.ContainsKey(pc.Id) || results.Any(r => r.Id == pc.Id))
            {
                // A repeated id cannot be told apart in P-DATA: refuse the second one.
                results.Add(new PresentationContextResult(pc.Id, PresentationContextResultCode.NoReason, null));
                continue;
            }

            if (!_abstractSyntaxes.Contains(pc.AbstractSyntax))
            {
                results.Add(new PresentationContextResult(pc.Id, PresentationContextResultCode.AbstractSyntaxNotSupported, null));
                continue;
            }

            var chosen = SupportedTransferSyntaxes.FirstOrDefault(pc.TransferSyntaxes.Contains);
            if (chosen is null)
            {
                results.Add(new PresentationContextResult(pc.Id, PresentationContextResultCode.TransferSyntaxesNotSupported, null));
                continue;
            }

            results.Add(new PresentationContextResult(pc.Id, PresentationContextResultCode.Acceptance, chosen));
            accepted[pc.Id] = new PresentationContext(pc.Id, pc.AbstractSyntax, chosen);
        }

        var accept = new AssociateAcceptPdu(request.CalledAeTitle, request.CallingAeTitle, DicomUids.ApplicationContext, results,
            new UserInformation(_maxLength, DicomUids.ImplementationClass, DicomUids.ImplementationVersion));
        var info = new AssociationInfo(request.CallingAeTitle, request.CalledAeTitle, accepted, request.UserInformation.MaxLength,
            request.UserInformation.ImplementationClassUid, request.UserInformation.ImplementationVersionName);
        return new NegotiationResult(accept, info, null);
    }

    private static NegotiationResult Rejected(AssociateRejectSource source, byte reason) =>
        new(null, null, new AssociateRejectPdu(AssociateRejectResult.Permanent, source, reason));
}
