using System.Buffers;
using EquipmentIoT.Protocols.Dicom;
using EquipmentIoT.Protocols.Dicom.Association;
using EquipmentIoT.Protocols.Dicom.Data;
using EquipmentIoT.Protocols.Dicom.Dimse;
using EquipmentIoT.Protocols.Dicom.Pdu;

namespace EquipmentIoT.Protocols.Tests.Dicom;

public sealed class FragmentationTests
{
    private static readonly PresentationContext Context = new(3, DicomUids.ModalityPerformedProcedureStep, DicomUids.ExplicitVRLittleEndian);

    private static readonly AssociationInfo Association = new("CT01", "EQIOT", new Dictionary<byte, PresentationContext> { [3] = Context }, 1024, "1.2.3", null);

    [Theory]
    [InlineData(1024u)]
    [InlineData(4096u)]
    [InlineData(0u)]
    public async Task SendMessage_FragmentsWithinPeerMaximum_AndReassembles(uint peerMax)
    {
        var dataset = MppsServiceTests.Final("COMPLETED").AddString(new DicomTag(0x0009, 0x1001), DicomVR.UT, new string('x', 5000));
        var message = new NSetRequest(9, DicomUids.ModalityPerformedProcedureStep, "1.2.3.4") { Dataset = dataset };
        var wire = new MemoryStream();
        var connection = new DicomConnection(wire, TimeProvider.System);
        await connection.SendMessageAsync(message, Context, peerMax, CancellationToken.None);

        var sequence = new ReadOnlySequence<byte>(wire.ToArray());
        var assembler = new DimseAssembler(Association, 1 << 20);
        AssembledMessage? assembled = null;
        var pdus = 0;
        while (PduReader.TryRead(ref sequence, new PduLimits(PduLimits.HardCap, PduLimits.DefaultMaxAssociateLength), out var pdu))
        {
            pdus++;
            var data = Assert.IsType<PDataTfPdu>(pdu);
            var length = data.Values.Sum(v => v.Data.Length + PresentationDataValue.Overhead);
            if (peerMax != 0) Assert.True(length <= peerMax, $"P-DATA-TF of {length} bytes beyond the peer's {peerMax}");
            foreach (var pdv in data.Values) assembled = assembler.Add(pdv) ?? assembled;
        }

        Assert.Equal(0, sequence.Length);
        Assert.True(peerMax == 0 || pdus > 2, $"{pdus} PDUs");
        var decoded = DimseCommandCodec.ToMessage(assembled!.Command, DatasetReader.Read(assembled.DatasetBytes!, explicitVR: true));
        var set = Assert.IsType<NSetRequest>(decoded);
        Assert.Equal(message with { Dataset = null }, set with { Dataset = null });
        Assert.Equal(4, set.Dataset!.GetSequence(DicomTags.PerformedSeriesSequence)[0].GetSequence(DicomTags.ReferencedImageSequence).Count);
    }

    [Fact]
    public void Assembler_DatasetBeforeCommand_IsUnexpectedParameter()
    {
        var assembler = new DimseAssembler(Association, 1 << 20);
        var e = Assert.Throws<DicomProtocolException>(() => assembler.Add(new PresentationDataValue(3, false, true, new byte[2])));
        Assert.Equal(AbortReason.UnexpectedPduParameter, e.AbortReason);
    }

    [Fact]
    public void Assembler_DatasetBeyondLimit_Throws()
    {
        var assembler = new DimseAssembler(Association, 100);
        var command = DimseCommandCodec.Encode(new NSetRequest(1, DicomUids.ModalityPerformedProcedureStep, "1.2.3") { Dataset = new DicomDataset() });
        Assert.Null(assembler.Add(new PresentationDataValue(3, true, true, command)));
        Assert.Null(assembler.Add(new PresentationDataValue(3, false, false, new byte[80])));
        Assert.Throws<DicomProtocolException>(() => assembler.Add(new PresentationDataValue(3, false, true, new byte[40])));
    }

    [Fact]
    public void LogBudget_BeyondPerMinute_SuppressesAndReportsCount()
    {
        var time = new SteppedTime();
        var budget = new LogBudget(2, time);
        Assert.True(budget.TryTake(out _));
        Assert.True(budget.TryTake(out _));
        Assert.False(budget.TryTake(out _));
        Assert.False(budget.TryTake(out _));
        time.Ticks += TimeSpan.FromMinutes(1).Ticks;
        Assert.True(budget.TryTake(out var suppressed));
        Assert.Equal(2, suppressed);
    }

    private sealed class SteppedTime : TimeProvider
    {
        public long Ticks { get; set; } = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;
    }
}
