using EquipmentIoT.Protocols.Dicom;
using EquipmentIoT.Protocols.Dicom.Association;
using EquipmentIoT.Protocols.Dicom.Pdu;

namespace EquipmentIoT.Protocols.Tests.Dicom;

public sealed class AssociationNegotiatorTests
{
    private static readonly AssociationNegotiator Negotiator = new("EQIOT", new HashSet<string> { "CT01" },
        new HashSet<string> { DicomUids.Verification, DicomUids.ModalityPerformedProcedureStep }, 32768);

    private static AssociateRequestPdu Request(string called = "EQIOT", string calling = "CT01", string context = DicomUids.ApplicationContext, params PresentationContextProposal[] contexts) =>
        new(called, calling, context, contexts.Length > 0 ? contexts : [new PresentationContextProposal(1, DicomUids.Verification, [DicomUids.ImplicitVRLittleEndian])],
            new UserInformation(4096, "1.2.3", null));

    [Theory]
    [InlineData("OTHER", "CT01", DicomUids.ApplicationContext, AssociateRejectSource.ServiceUser, AssociateRejectPdu.UserCalledAeNotRecognized)]
    [InlineData("EQIOT", "CT99", DicomUids.ApplicationContext, AssociateRejectSource.ServiceUser, AssociateRejectPdu.UserCallingAeNotRecognized)]
    [InlineData("EQIOT", "CT01", "1.2.3.4", AssociateRejectSource.ServiceUser, AssociateRejectPdu.UserApplicationContextNotSupported)]
    public void Negotiate_WrongTitlesOrContext_RejectedPermanentWithReason(string called, string calling, string context, AssociateRejectSource source, byte reason)
    {
        var reject = Negotiator.Negotiate(Request(called, calling, context)).Reject;
        Assert.Equal(new AssociateRejectPdu(AssociateRejectResult.Permanent, source, reason), reject);
    }

    [Fact]
    public void Negotiate_ProtocolVersionWithoutBit0_RejectedByAcse()
    {
        var reject = Negotiator.Negotiate(Request() with { ProtocolVersion = 2 }).Reject;
        Assert.Equal(new AssociateRejectPdu(AssociateRejectResult.Permanent, AssociateRejectSource.ServiceProviderAcse, AssociateRejectPdu.AcseProtocolVersionNotSupported), reject);
    }

    [Fact]
    public void Negotiate_MixedContexts_AcceptsRefusesWithReasonsAndPrefersExplicit()
    {
        var result = Negotiator.Negotiate(Request(contexts:
        [
            new PresentationContextProposal(1, DicomUids.Verification, [DicomUids.ImplicitVRLittleEndian, DicomUids.ExplicitVRLittleEndian]),
            new PresentationContextProposal(3, "1.2.840.10008.5.1.4.1.1.2", [DicomUids.ImplicitVRLittleEndian]),
            new PresentationContextProposal(5, DicomUids.ModalityPerformedProcedureStep, ["1.2.840.10008.1.2.2", "1.2.840.10008.1.2.4.50"]),
            new PresentationContextProposal(7, DicomUids.ModalityPerformedProcedureStep, [DicomUids.ImplicitVRLittleEndian]),
            new PresentationContextProposal(7, DicomUids.Verification, [DicomUids.ImplicitVRLittleEndian]),
        ]));
        Assert.Null(result.Reject);
        Assert.Equal(
        [
            new PresentationContextResult(1, PresentationContextResultCode.Acceptance, DicomUids.ExplicitVRLittleEndian),
            new PresentationContextResult(3, PresentationContextResultCode.AbstractSyntaxNotSupported, null),
            new PresentationContextResult(5, PresentationContextResultCode.TransferSyntaxesNotSupported, null),
            new PresentationContextResult(7, PresentationContextResultCode.Acceptance, DicomUids.ImplicitVRLittleEndian),
            new PresentationContextResult(7, PresentationContextResultCode.NoReason, null),
        ], result.Accept!.PresentationContexts);
        Assert.Equal(32768u, result.Accept.UserInformation.MaxLength);
        Assert.Equal(4096u, result.Association!.PeerMaxLength);
        Assert.Equal([1, 7], result.Association.Contexts.Keys.Order().Select(k => (int)k));
    }

    [Fact]
    public void Negotiate_AnyCallingAllowed_Accepts()
    {
        var open = new AssociationNegotiator("EQIOT", null, new HashSet<string> { DicomUids.Verification }, 16384);
        Assert.NotNull(open.Negotiate(Request(calling: "WHOEVER")).Accept);
    }
}
