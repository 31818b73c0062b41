using System.Buffers;
using System.Text;
using EquipmentIoT.Protocols.Dicom;
using EquipmentIoT.Protocols.Dicom.Pdu;

namespace EquipmentIoT.Protocols.Tests.Dicom;

public sealed class PduCodecTests
{
    // A-ASSOCIATE-RQ laid out by hand from PS3.8 §9.3.2 (Tables 9-11 to 9-16, D.1, D.3.3.2).
    private static readonly byte[] AssociateRequestGolden = Concat(
        "01 00 000000AA",                               // PDU-type 1, reserved, PDU-length 170
        "0001 0000",                                    // protocol version 1, reserved
        Ascii("ANY-SCP         "), Ascii("ECHOSCU         "), // called, calling AE titles (16 each, space padded)
        new string('0', 64),                            // 32 reserved bytes
        "10 00 0015", Ascii("1.2.840.10008.3.1.1.1"),   // application context item
        "20 00 002E 01 00 00 00",                       // presentation context item: id 1
        "30 00 0011", Ascii("1.2.840.10008.1.1"),       //   abstract syntax: Verification
        "40 00 0011", Ascii("1.2.840.10008.1.2"),       //   transfer syntax: Implicit VR LE
        "50 00 0017",                                   // user information item
        "51 00 0004 00004000",                          //   maximum length 16384
        "52 00 0005", Ascii("1.2.3"),                   //   implementation class UID
        "55 00 0002", Ascii("V1"));                     //   implementation version name

    private static readonly AssociateRequestPdu AssociateRequest = new("ANY-SCP", "ECHOSCU", DicomUids.ApplicationContext,
        [new PresentationContextProposal(1, DicomUids.Verification, [DicomUids.ImplicitVRLittleEndian])],
        new UserInformation(16384, "1.2.3", "V1"));

    [Fact]
    public void Write_AssociateRequest_MatchesGoldenBytes() =>
        Assert.Equal(Convert.ToHexString(AssociateRequestGolden), Convert.ToHexString(PduWriter.ToArray(AssociateRequest)));

    [Fact]
    public void TryRead_AssociateRequestGolden_DecodesEveryField()
    {
        var pdu = Assert.IsType<AssociateRequestPdu>(ReadOne(AssociateRequestGolden));
        Assert.Equal("ANY-SCP", pdu.CalledAeTitle);
        Assert.Equal("ECHOSCU", pdu.CallingAeTitle);
        Assert.Equal(DicomUids.ApplicationContext, pdu.ApplicationContext);
        var pc = Assert.Single(pdu.PresentationContexts);
        Assert.Equal((byte)1, pc.Id);
        Assert.Equal(DicomUids.Verification, pc.AbstractSyntax);
        Assert.Equal([DicomUids.ImplicitVRLittleEndian], pc.TransferSyntaxes);
        Assert.Equal(new UserInformation(16384, "1.2.3", "V1"), pdu.UserInformation);
    }

    [Fact]
    public void Write_AssociateAccept_RoundTrips()
    {
        var accept = new AssociateAcceptPdu("EQIOT", "CT01", DicomUids.ApplicationContext,
            [new PresentationContextResult(1, PresentationContextResultCode.Acceptance, DicomUids.ExplicitVRLittleEndian),
             new PresentationContextResult(3, PresentationContextResultCode.AbstractSyntaxNotSupported, null)],
            new UserInformation(65536, DicomUids.ImplementationClass, DicomUids.ImplementationVersion));
        var decoded = Assert.IsType<AssociateAcceptPdu>(ReadOne(PduWriter.ToArray(accept)));
        Assert.Equal(accept.PresentationContexts, decoded.PresentationContexts);
        Assert.Equal(accept.UserInformation, decoded.UserInformation);
        Assert.Equal("CT01", decoded.CallingAeTitle);
    }

    [Theory]
    [InlineData("03 00 00000004 00 01 01 07", "rejected-permanent, service-user, called-AE-title-not-recognized")]
    [InlineData("03 00 00000004 00 02 03 02", "rejected-transient, provider (presentation), local-limit-exceeded")]
    public void Write_AssociateReject_MatchesGoldenBytes(string golden, string meaning)
    {
        var bytes = Hex(golden);
        var reject = Assert.IsType<AssociateRejectPdu>(ReadOne(bytes));
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(PduWriter.ToArray(reject)));
        Assert.False(string.IsNullOrEmpty(meaning));
    }

    [Fact]
    public void Write_ReleaseAndAbort_MatchGoldenBytes()
    {
        Assert.Equal("05000000000400000000", Convert.ToHexString(PduWriter.ToArray(ReleaseRequestPdu.Instance)));
        Assert.Equal("06000000000400000000", Convert.ToHexString(PduWriter.ToArray(ReleaseResponsePdu.Instance)));
        // A-ABORT: source 2 (service provider), reason 2 (unexpected PDU), PS3.8 Table 9-26
        Assert.Equal("07000000000400000202", Convert.ToHexString(PduWriter.ToArray(new AbortPdu(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu))));
    }

    [Fact]
    public void Write_PData_MatchesGoldenBytesAndRoundTrips()
    {
        // P-DATA-TF with two PDVs: command, last fragment (control 03); data set, not last (control 00).
        var golden = Hex("04 00 0000000E  00000004 01 03 AABB  00000002 03 00");
        var pdu = Assert.IsType<PDataTfPdu>(ReadOne(golden));
        Assert.Equal(2, pdu.Values.Count);
        Assert.True(pdu.Values[0].IsCommand);
        Assert.True(pdu.Values[0].IsLast);
        Assert.Equal([0xAA, 0xBB], pdu.Values[0].Data.ToArray());
        Assert.False(pdu.Values[1].IsCommand);
        Assert.False(pdu.Values[1].IsLast);
        Assert.Equal((byte)3, pdu.Values[1].PresentationContextId);
        Assert.Equal(Convert.ToHexString(golden), Convert.ToHexString(PduWriter.ToArray(pdu)));

        var direct = new ArrayBufferWriter<byte>();
        PduWriter.WritePData(direct, 1, isCommand: true, isLast: true, [0xAA, 0xBB]);
        Assert.Equal("04000000000800000004" + "0103AABB", Convert.ToHexString(direct.WrittenSpan));
    }

    [Fact]
    public void TryRead_LengthBeyondMaximum_ThrowsFromTheHeaderAlone()
    {
        // Only the 6-byte header is there: the reader must refuse before waiting for 1 GiB.
        var header = Hex("04 00 40000000");
        var e = Assert.Throws<DicomProtocolException>(() => ReadOne(header));
        Assert.Contains("P-DATA-TF", e.Message, StringComparison.Ordinal);
        Assert.Contains("PDU-length at offset 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_IncompletePdu_ReturnsFalseAndConsumesNothing()
    {
        var sequence = new ReadOnlySequence<byte>(AssociateRequestGolden.AsMemory(0, 100));
        Assert.False(PduReader.TryRead(ref sequence, PduLimits.Default, out _));
        Assert.Equal(100, sequence.Length);
    }

    [Theory]
    [InlineData("08 00 00000004 00000000", "PDU-type at offset 0")]
    [InlineData("05 00 00000005 0000000000", "PDU-length at offset 2")]
    [InlineData("04 00 00000006 00000002 02 00", "Presentation-context-ID at offset 10")]
    [InlineData("04 00 00000006 00000009 01 00", "Item-length at offset 6")]
    public void TryRead_MalformedPdu_NamesFieldAndOffset(string hex, string expected)
    {
        var e = Assert.Throws<DicomProtocolException>(() => ReadOne(Hex(hex)));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_AssociateRequestWithBadCalledAeTitle_NamesField()
    {
        var bytes = (byte[])AssociateRequestGolden.Clone();
        bytes[10] = 0x01; // a control character in the Called-AE-title (offset 10)
        var e = Assert.Throws<DicomProtocolException>(() => ReadOne(bytes));
        Assert.Contains("Called-AE-title at offset 10", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_TwoPdusInOneBuffer_ReadsBothInOrder()
    {
        var bytes = Concat(Convert.ToHexString(PduWriter.ToArray(ReleaseRequestPdu.Instance)), Convert.ToHexString(AssociateRequestGolden));
        var sequence = new ReadOnlySequence<byte>(bytes);
        Assert.True(PduReader.TryRead(ref sequence, PduLimits.Default, out var first));
        Assert.True(PduReader.TryRead(ref sequence, PduLimits.Default, out var second));
        Assert.IsType<ReleaseRequestPdu>(first);
        Assert.IsType<AssociateRequestPdu>(second);
        Assert.Equal(0, sequence.Length);
    }

    internal static DicomPdu ReadOne(byte[] bytes)
    {
        var sequence = new ReadOnlySequence<byte>(bytes);
        Assert.True(PduReader.TryRead(ref sequence, PduLimits.Default, out var pdu), "incomplete PDU");
        return pdu!;
    }

    internal static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", "", StringComparison.Ordinal));

    private static string Ascii(string text) => Convert.ToHexString(Encoding.ASCII.GetBytes(text));

    private static byte[] Concat(params string[] parts) => Hex(string.Concat(parts));
}
