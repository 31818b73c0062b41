using System.Buffers;
using System.Diagnostics;
using EquipmentIoT.Protocols.Dicom;
using EquipmentIoT.Protocols.Dicom.Data;
using EquipmentIoT.Protocols.Dicom.Dimse;
using EquipmentIoT.Protocols.Dicom.Pdu;
using EquipmentIoT.Testing.Fuzzing;

namespace EquipmentIoT.Protocols.Tests.Dicom.Fuzzing;

/// <summary>
/// Seeded fuzzing of the PDU reader and the data set reader: random bytes and valid encodings damaged one
/// to three times. The contract: a <see cref="DicomProtocolException"/> or a result, never another
/// exception, never a hang, and valid input still decodes when fed in pieces.
/// </summary>
public sealed class DicomFuzzTests
{
    private const int Inputs = 20_000;

    [Theory]
    [InlineData(1)]
    [InlineData(20261202)]
    public void PduReader_RandomAndMutatedInput_OnlyProtocolErrors(int seed)
    {
        var random = new Random(seed);
        var valid = ValidPdus();
        var limits = new PduLimits(16 * 1024, 16 * 1024);
        var stopwatch = Stopwatch.StartNew();
        long decoded = 0, rejected = 0, incomplete = 0;
        for (var i = 0; i < Inputs; i++)
        {
            var input = random.Next(100) < 30 ? RandomBytes(random, valid) : Mutate(random, valid[random.Next(valid.Length)]);
            var sequence = Split(input, random);
            try
            {
                while (PduReader.TryRead(ref sequence, limits, out _)) decoded++;
                incomplete++;
            }
            catch (DicomProtocolException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed}, input {i}: {e.GetType().Name}: {e.Message}\n{Convert.ToHexString(input)}");
            }
        }

        Assert.True(stopwatch.Elapsed < TimeSpan.FromMinutes(1), $"fuzzing took {stopwatch.Elapsed}");
        Assert.True(decoded > 0 && rejected > 0, $"decoded {decoded}, rejected {rejected}, incomplete {incomplete}");
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, true)]
    public void DatasetReader_RandomAndMutatedInput_OnlyProtocolErrors(int seed, bool explicitVR)
    {
        var random = new Random(seed);
        var valid = new[]
        {
            DatasetWriter.ToArray(MppsServiceTests.InProgress(), explicitVR),
            DatasetWriter.ToArray(MppsServiceTests.Final("COMPLETED"), explicitVR, definedLengthSequences: true),
            DatasetWriter.ToArray(DatasetCodecTests.SampleStep(DicomCharacterSet.Gb18030, "王^小东"), explicitVR),
            DimseCommandCodec.Encode(new NCreateRequest(1, DicomUids.ModalityPerformedProcedureStep, "1.2.3")),
        };
        long decoded = 0, rejected = 0;
        for (var i = 0; i < Inputs; i++)
        {
            var input = random.Next(100) < 20 ? RandomBytes(random, valid) : Mutate(random, valid[random.Next(valid.Length)]);
            try
            {
                var dataset = DatasetReader.Read(input, explicitVR, new DatasetReadOptions(8, 10_000));
                // Reading every value must not throw either (text in any character set, numbers of any length).
                foreach (var element in dataset)
                {
                    _ = dataset.GetString(element.Tag);
                    _ = dataset.GetNumber(element.Tag);
                }

                decoded++;
            }
            catch (DicomProtocolException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed}, input {i}: {e.GetType().Name}: {e.Message}\n{Convert.ToHexString(input)}");
            }
        }

        Assert.True(decoded > 0 && rejected > 0, $"decoded {decoded}, rejected {rejected}");
    }

    [Fact]
    public void PduReader_ValidPdusInRandomPieces_AllDecode()
    {
        var random = new Random(4);
        var valid = ValidPdus();
        var stream = valid.SelectMany(p => p).ToArray();
        for (var round = 0; round < 200; round++)
        {
            var sequence = Split(stream, random);
            var count = 0;
            while (PduReader.TryRead(ref sequence, PduLimits.Default, out _)) count++;
            Assert.Equal(valid.Length, count);
        }
    }

    private static byte[][] ValidPdus() =>
    [
        PduWriter.ToArray(new AssociateRequestPdu("EQIOT", "CT01", DicomUids.ApplicationContext,
            [new PresentationContextProposal(1, DicomUids.Verification, [DicomUids.ImplicitVRLittleEndian, DicomUids.ExplicitVRLittleEndian]),
             new PresentationContextProposal(3, DicomUids.ModalityPerformedProcedureStep, [DicomUids.ExplicitVRLittleEndian])],
            new UserInformation(16384, "1.2.3.4", "FUZZ"))),
        PduWriter.ToArray(new AssociateAcceptPdu("EQIOT", "CT01", DicomUids.ApplicationContext,
            [new PresentationContextResult(1, PresentationContextResultCode.Acceptance, DicomUids.ImplicitVRLittleEndian),
             new PresentationContextResult(3, PresentationContextResultCode.TransferSyntaxesNotSupported, null)],
            new UserInformation(0, "1.2.3.4", null))),
        PduWriter.ToArray(new AssociateRejectPdu(AssociateRejectResult.Permanent, AssociateRejectSource.ServiceUser, 7)),
        PduWriter.ToArray(new PDataTfPdu([
            new PresentationDataValue(1, true, true, DimseCommandCodec.Encode(new CEchoRequest(1))),
            new PresentationDataValue(3, false, false, DatasetWriter.ToArray(MppsServiceTests.Final("COMPLETED"), false))])),
        PduWriter.ToArray(ReleaseRequestPdu.Instance),
        PduWriter.ToArray(ReleaseResponsePdu.Instance),
        PduWriter.ToArray(new AbortPdu(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue)),
    ];

    private static byte[] RandomBytes(Random random, byte[][] valid)
    {
        var bytes = new byte[random.Next(0, 300)];
        random.NextBytes(bytes);
        // Often a plausible start: a real PDU type or element header from a valid input.
        if (bytes.Length >= 8 && random.Next(2) == 0) valid[random.Next(valid.Length)].AsSpan(0, Math.Min(8, valid[0].Length)).CopyTo(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] original)
    {
        var bytes = (byte[])original.Clone();
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations && bytes.Length > 0; m++)
        {
            var at = random.Next(bytes.Length);
            switch (random.Next(5))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 2: bytes = bytes[..at]; break; // truncate
                case 3: bytes[at] = 0xFF; break;    // lengths towards the maximum
                default:
                    var extra = new byte[random.Next(1, 16)];
                    random.NextBytes(extra);
                    bytes = [.. bytes[..at], .. extra, .. bytes[at..]];
                    break;
            }
        }

        return bytes;
    }

    // The same bytes in random segments (sometimes one), to exercise reads across segment boundaries.
    private static ReadOnlySequence<byte> Split(byte[] bytes, Random random) =>
        bytes.Length == 0 || random.Next(4) == 0 ? new ReadOnlySequence<byte>(bytes) : SegmentedSequence.Chop(bytes, random, Math.Max(1, bytes.Length / 3));
}
