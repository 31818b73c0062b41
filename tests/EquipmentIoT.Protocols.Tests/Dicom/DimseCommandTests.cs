using EquipmentIoT.Protocols.Dicom;
using EquipmentIoT.Protocols.Dicom.Data;
using EquipmentIoT.Protocols.Dicom.Dimse;

namespace EquipmentIoT.Protocols.Tests.Dicom;

public sealed class DimseCommandTests
{
    [Fact]
    public void Encode_CEchoRequest_MatchesGoldenBytes()
    {
        // PS3.7 Table 9.3-12 in Implicit VR LE: group length, Affected SOP Class UID (17 chars + NUL pad),
        // Command Field 0030, Message ID 7, Command Data Set Type 0101.
        const string golden = "00000000 04000000 38000000"
            + "00000200 12000000 312E322E3834302E31303030382E312E3100"
            + "00000001 02000000 3000"
            + "00001001 02000000 0700"
            + "00000008 02000000 0101";
        Assert.Equal(golden.Replace(" ", "", StringComparison.Ordinal), Convert.ToHexString(DimseCommandCodec.Encode(new CEchoRequest(7))));
    }

    [Fact]
    public void Decode_CEchoRequestGolden_GivesTheRequest()
    {
        var command = DimseCommandCodec.DecodeCommand(DimseCommandCodec.Encode(new CEchoRequest(7)));
        Assert.False(DimseCommandCodec.HasDataset(command));
        Assert.Equal(new CEchoRequest(7), DimseCommandCodec.ToMessage(command, null));
    }

    public static TheoryData<DimseMessage> Messages => new()
    {
        new CEchoResponse(7, DimseStatus.Success),
        new NCreateRequest(1, DicomUids.ModalityPerformedProcedureStep, "1.2.3.4"),
        new NCreateRequest(2, DicomUids.ModalityPerformedProcedureStep, null),
        new NCreateResponse(1, DimseStatus.DuplicateSopInstance, DicomUids.ModalityPerformedProcedureStep, "1.2.3.4") { ErrorComment = "exists", OffendingElement = DicomTags.PerformedProcedureStepStatus },
        new NSetRequest(3, DicomUids.ModalityPerformedProcedureStep, "1.2.3.4"),
        new NSetResponse(3, DimseStatus.ProcessingFailure, DicomUids.ModalityPerformedProcedureStep, "1.2.3.4") { ErrorComment = "may no longer be updated", ErrorId = 0xA710 },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Encode_Message_RoundTrips(DimseMessage message)
    {
        var command = DimseCommandCodec.DecodeCommand(DimseCommandCodec.Encode(message));
        Assert.Equal(message, DimseCommandCodec.ToMessage(command, null));
    }

    [Fact]
    public void Encode_WithDataset_SetsDataSetTypeAndGroupLength()
    {
        var bytes = DimseCommandCodec.Encode(new NSetRequest(3, DicomUids.ModalityPerformedProcedureStep, "1.2.3.4") { Dataset = new DicomDataset() });
        var command = DimseCommandCodec.DecodeCommand(bytes);
        Assert.True(DimseCommandCodec.HasDataset(command));
        Assert.Equal((uint)(bytes.Length - 12), BitConverter.ToUInt32(bytes, 8));
    }

    [Fact]
    public void ToMessage_UnknownRequest_IsUnrecognizedRequest()
    {
        var command = new DicomDataset().AddUInt16(DicomTags.CommandField, 0x0110).AddUInt16(DicomTags.MessageID, 9)
            .AddUInt16(DicomTags.CommandDataSetType, 0x0101).AddString(DicomTags.RequestedSOPClassUID, "1.2.3");
        var request = Assert.IsType<UnrecognizedRequest>(DimseCommandCodec.ToMessage(command, null));
        Assert.Equal(0x8110, (int)new UnrecognizedResponse(9, request.RawCommandField, "1.2.3").CommandField);
    }

    [Fact]
    public void DecodeCommand_MissingMessageId_NamesTheElement()
    {
        var command = new DicomDataset().AddUInt16(DicomTags.CommandField, 0x0030).AddUInt16(DicomTags.CommandDataSetType, 0x0101);
        var e = Assert.Throws<DicomProtocolException>(() => DimseCommandCodec.ToMessage(command, null));
        Assert.Contains("MessageID", e.Message, StringComparison.Ordinal);
    }
}
