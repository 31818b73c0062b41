using System.Buffers;
using System.Buffers.Binary;

namespace EquipmentIoT.Protocols.Dicom.Data;

/// <summary>
/// Encodes a data set in Implicit or Explicit VR Little Endian (PS3.5 §7.1), elements in ascending tag
/// order. Sequences and items are written with undefined length and delimiters (§7.5.2), or with defined
/// lengths when asked.
/// </summary>
public static class DatasetWriter
{
    /// <summary>Writes <paramref name="dataset"/> to <paramref name="output"/>.</summary>
    public static void Write(DicomDataset dataset, bool explicitVR, IBufferWriter<byte> output, bool definedLengthSequences = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var element in dataset) WriteElement(element, explicitVR, output, definedLengthSequences);
    }

    /// <summary>Encodes <paramref name="dataset"/> into a new array.</summary>
    public static byte[] ToArray(DicomDataset dataset, bool explicitVR, bool definedLengthSequences = false)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        Write(dataset, explicitVR, buffer, definedLengthSequences);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteElement(DicomElement element, bool explicitVR, IBufferWriter<byte> output, bool defined)
    {
        if (element.VR == DicomVR.SQ)
        {
            byte[]? body = null;
            if (defined)
            {
                var items = new ArrayBufferWriter<byte>(256);
                foreach (var item in element.Items) WriteItem(item, explicitVR, items, defined);
                body = items.WrittenSpan.ToArray();
            }

            WriteHeader(element.Tag, DicomVR.SQ, body is null ? 0xFFFF_FFFF : (uint)body.Length, explicitVR, output);
            if (body is not null)
            {
                output.Write(body);
                return;
            }

            foreach (var item in element.Items) WriteItem(item, explicitVR, output, defined);
            WriteDelimiter(DicomTag.SequenceDelimitation, 0, output);
            return;
        }

        var value = element.Value.Span;
        if ((value.Length & 1) != 0) throw new ArgumentException($"{element.Tag}: odd value length {value.Length}");
        if (explicitVR && !DicomVRInfo.HasLongLength(element.VR) && value.Length > ushort.MaxValue)
            throw new ArgumentException($"{element.Tag}: {value.Length} bytes do not fit the 2-byte length of {DicomVRInfo.Code(element.VR)}");
        WriteHeader(element.Tag, element.VR, (uint)value.Length, explicitVR, output);
        output.Write(value);
    }

    private static void WriteItem(DicomDataset item, bool explicitVR, IBufferWriter<byte> output, bool defined)
    {
        if (defined)
        {
            var body = ToArray(item, explicitVR, definedLengthSequences: true);
            WriteDelimiter(DicomTag.Item, (uint)body.Length, output);
            output.Write(body);
            return;
        }

        WriteDelimiter(DicomTag.Item, 0xFFFF_FFFF, output);
        Write(item, explicitVR, output, defined);
        WriteDelimiter(DicomTag.ItemDelimitation, 0, output);
    }

    private static void WriteDelimiter(DicomTag tag, uint length, IBufferWriter<byte> output)
    {
        // 00-01 group, 02-03 element, 04-07 length (no VR in either encoding, §7.5)
        var span = output.GetSpan(8);
        BinaryPrimitives.WriteUInt16LittleEndian(span, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], tag.Element);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], length);
        output.Advance(8);
    }

    private static void WriteHeader(DicomTag tag, DicomVR vr, uint length, bool explicitVR, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(12);
        BinaryPrimitives.WriteUInt16LittleEndian(span, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], tag.Element);
        if (!explicitVR)
        {
            // Implicit: 04-07 value length
            BinaryPrimitives.WriteUInt32LittleEndian(span[4..], length);
            output.Advance(8);
            return;
        }

        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)vr); // 04-05 VR, two ASCII characters
        if (DicomVRInfo.HasLongLength(vr))
        {
            span[6] = span[7] = 0;                                  // 06-07 reserved
            BinaryPrimitives.WriteUInt32LittleEndian(span[8..], length); // 08-11 value length
            output.Advance(12);
            return;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], (ushort)length); // 06-07 value length
        output.Advance(8);
    }
}
