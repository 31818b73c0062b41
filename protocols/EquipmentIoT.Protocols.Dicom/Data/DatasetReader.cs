using System.Buffers.Binary;

namespace EquipmentIoT.Protocols.Dicom.Data;

/// <summary>Limits of <see cref="DatasetReader"/>.</summary>
/// <param name="MaxDepth">Deepest sequence nesting (a top-level sequence's items are depth 1).</param>
/// <param name="MaxElements">Most elements in the whole data set, items included.</param>
public readonly record struct DatasetReadOptions(int MaxDepth, int MaxElements)
{
    /// <summary>Depth 16, 100,000 elements.</summary>
    public static DatasetReadOptions Default => new(16, 100_000);
}

/// <summary>
/// Decodes a data set in Implicit VR Little Endian (PS3.5 §7.1.3, Annex A.1) or Explicit VR Little Endian
/// (§7.1.2, Annex A.2): every VR, sequences and items of defined and undefined length with their delimiters
/// (§7.5). Pure: element values are slices of the input, which the caller must not reuse. Every length is
/// checked against what is left before it is used; odd lengths, lengths past the end, undefined lengths
/// other than on sequences, nesting beyond the limit and unknown explicit VRs are
/// <see cref="DicomProtocolException"/>s naming the element and the offset.
/// </summary>
public static class DatasetReader
{
    private const uint UndefinedLength = 0xFFFF_FFFF;

    /// <summary>Reads a whole data set.</summary>
    /// <exception cref="DicomProtocolException">Malformed input.</exception>
    public static DicomDataset Read(ReadOnlyMemory<byte> data, bool explicitVR, DatasetReadOptions? options = null, DicomCharacterSet? characterSet = null)
    {
        var state = new State(data, explicitVR, options ?? DatasetReadOptions.Default);
        var dataset = new DicomDataset(characterSet ?? DicomCharacterSet.Default);
        var at = 0;
        state.ReadElements(dataset, ref at, data.Length, untilItemDelimiter: false, depth: 0);
        return dataset;
    }

    private sealed class State(ReadOnlyMemory<byte> data, bool explicitVR, DatasetReadOptions options)
    {
        private int _elements;

        public void ReadElements(DicomDataset dataset, ref int at, int end, bool untilItemDelimiter, int depth)
        {
            var span = data.Span;
            while (at < end)
            {
                var start = at;
                var tag = ReadTag(span, at, end);
                if (tag.Group == 0xFFFE)
                {
                    // Delimiters and items have a 4-byte length and no VR in either encoding (§7.5).
                    var length = ReadUInt32(span, at + 4, end, tag, "item length");
                    at += 8;
                    if (tag == DicomTag.ItemDelimitation && untilItemDelimiter)
                    {
                        if (length != 0) throw Error(tag, start, $"Item Delimitation Item length {length} is not 0");
                        return;
                    }

                    throw Error(tag, start, "an item or delimiter where a data element was expected");
                }

                if (++_elements > options.MaxElements) throw Error(tag, start, $"more than {options.MaxElements} elements");
                dataset.Add(ReadElement(tag, ref at, end, depth, dataset.CharacterSet));
            }

            if (untilItemDelimiter) throw Error(DicomTag.ItemDelimitation, at, "missing before the end of the enclosing value");
        }

        private DicomElement ReadElement(DicomTag tag, ref int at, int end, int depth, DicomCharacterSet characterSet)
        {
            var span = data.Span;
            var start = at;
            DicomVR vr;
            uint length;
            if (explicitVR)
            {
                // Explicit VR (Table 7.1-1 and 7.1-2):
                // 00-03 tag, 04-05 VR, then either 06-07 length (short VRs)
                // or 06-07 reserved (0000), 08-11 length (OB OD OF OL OV OW SQ SV UC UN UR UT UV)
                if (end - at < 8) throw Error(tag, start, "truncated element header");
                vr = (DicomVR)BinaryPrimitives.ReadUInt16BigEndian(span[(at + 4)..]);
                if (!DicomVRInfo.IsKnown(vr)) throw Error(tag, start + 4, $"unknown VR 0x{(ushort)vr:X4}");
                if (DicomVRInfo.HasLongLength(vr))
                {
                    length = ReadUInt32(span, at + 8, end, tag, "value length");
                    at += 12;
                }
                else
                {
                    length = BinaryPrimitives.ReadUInt16LittleEndian(span[(at + 6)..]);
                    at += 8;
                }
            }
            else
            {
                // Implicit VR (Table 7.1-3): 00-03 tag, 04-07 value length; the VR comes from the dictionary.
                length = ReadUInt32(span, at + 4, end, tag, "value length");
                vr = DicomDictionary.ImplicitVR(tag);
                at += 8;
            }

            if (length == UndefinedLength)
            {
                // §7.1.1 and §6.2.2: undefined length only on SQ, and on UN holding a sequence (read as SQ,
                // Implicit VR Little Endian). Encapsulated pixel data is not part of what we read.
                if (vr is not (DicomVR.SQ or DicomVR.UN)) throw Error(tag, start, $"undefined length on {DicomVRInfo.Code(vr)}");
                return new DicomElement(tag, ReadItems(tag, ref at, end, undefined: true, depth, characterSet, implicitInside: vr == DicomVR.UN));
            }

            if ((length & 1) != 0) throw Error(tag, start, $"odd value length {length}");
            if (length > end - at) throw Error(tag, start, $"value length {length} exceeds the {end - at} bytes left");
            var valueEnd = at + (int)length;
            if (vr == DicomVR.SQ)
            {
                var items = ReadItems(tag, ref at, valueEnd, undefined: false, depth, characterSet, implicitInside: false);
                return new DicomElement(tag, items);
            }

            var value = data.Slice(at, (int)length);
            at = valueEnd;
            return new DicomElement(tag, vr, value);
        }

        private List<DicomDataset> ReadItems(DicomTag sequence, ref int at, int end, bool undefined, int depth, DicomCharacterSet characterSet, bool implicitInside)
        {
            if (depth + 1 > options.MaxDepth) throw Error(sequence, at, $"sequences nested deeper than {options.MaxDepth}");
            var span = data.Span;
            var items = new List<DicomDataset>();
            while (true)
            {
                if (!undefined && at == end) return items;
                var start = at;
                var tag = ReadTag(span, at, end);
                var length = ReadUInt32(span, at + 4, end, tag, "item length");
                at += 8;
                if (tag == DicomTag.SequenceDelimitation && undefined)
                {
                    if (length != 0) throw Error(tag, start, $"Sequence Delimitation Item length {length} is not 0");
                    return items;
                }

                if (tag != DicomTag.Item) throw Error(tag, start, $"expected an Item (FFFE,E000) in sequence {sequence}");
                if (++_elements > options.MaxElements) throw Error(tag, start, $"more than {options.MaxElements} elements");
                var item = new DicomDataset(characterSet);
                var reader = implicitInside && explicitVR ? new State(data, false, options) { _elements = _elements } : this;
                if (length == UndefinedLength)
                {
                    reader.ReadElements(item, ref at, end, untilItemDelimiter: true, depth + 1);
                }
                else
                {
                    if ((length & 1) != 0) throw Error(tag, start, $"odd item length {length}");
                    if (length > end - at) throw Error(tag, start, $"item length {length} exceeds the {end - at} bytes left");
                    var itemEnd = at + (int)length;
                    reader.ReadElements(item, ref at, itemEnd, untilItemDelimiter: false, depth + 1);
                }

                if (!ReferenceEquals(reader, this)) _elements = reader._elements;
                items.Add(item);
            }
        }

        private static DicomTag ReadTag(ReadOnlySpan<byte> span, int at, int end)
        {
            if (end - at < 8) throw DicomProtocolException.Field("data set", "element header", at, $"truncated: {end - at} bytes left, 8 needed");
            return new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(span[at..]), BinaryPrimitives.ReadUInt16LittleEndian(span[(at + 2)..]));
        }

        private static uint ReadUInt32(ReadOnlySpan<byte> span, int at, int end, DicomTag tag, string field)
        {
            if (end - at < 4) throw DicomProtocolException.Field("data set", $"{tag} {field}", at, "truncated");
            return BinaryPrimitives.ReadUInt32LittleEndian(span[at..]);
        }

        private static DicomProtocolException Error(DicomTag tag, int offset, string problem) =>
            DicomProtocolException.Field("data set", $"element {tag}{KeywordOf(tag)}", offset, problem);

        private static string KeywordOf(DicomTag tag) => DicomDictionary.Find(tag) is { } e ? " " + e.Keyword : "";
    }
}
