using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace EquipmentIoT.Protocols.Dicom.Pdu;

/// <summary>
/// Cuts whole PDUs from a byte stream and decodes them (PS3.8 §9.3). Pure and synchronous: it reads what
/// the caller buffered and never waits. The PDU length is checked against <see cref="PduLimits"/> from
/// the 6-byte header alone, before the body is waited for or copied. Errors are
/// <see cref="DicomProtocolException"/>s naming the PDU, the field and the offset from the PDU's first byte.
/// </summary>
public static class PduReader
{
    /// <summary>Every PDU starts with type (1), reserved (1), PDU-length (4, big endian).</summary>
    public const int HeaderLength = 6;

    /// <summary>
    /// Reads one PDU if the buffer holds all of it; on success <paramref name="buffer"/> is advanced past it.
    /// </summary>
    /// <exception cref="DicomProtocolException">Unknown PDU type, a length beyond the limits, or a malformed body.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, PduLimits limits, out DicomPdu? pdu)
    {
        pdu = null;
        if (buffer.Length < HeaderLength) return false;
        Span<byte> header = stackalloc byte[HeaderLength];
        buffer.Slice(0, HeaderLength).CopyTo(header);

        // 00    PDU-type
        // 01    reserved
        // 02-05 PDU-length: bytes that follow the header
        var type = (PduType)header[0];
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[2..]);
        var max = MaxLength(type, limits);
        if (length > max)
            throw DicomProtocolException.Field(DicomPdu.Name(type), "PDU-length", 2,
                $"{length} bytes exceeds the maximum of {max}", AbortReason.InvalidPduParameterValue);
        if (buffer.Length - HeaderLength < length) return false;

        var body = buffer.Slice(HeaderLength, length).ToArray();
        pdu = Decode(type, body);
        buffer = buffer.Slice(HeaderLength + (long)length);
        return true;
    }

    /// <summary>Decodes a PDU body (what follows the 6-byte header). Offsets in errors count from the PDU's first byte.</summary>
    /// <exception cref="DicomProtocolException">The body is malformed.</exception>
    public static DicomPdu Decode(PduType type, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return type switch
        {
            PduType.AssociateRequest => DecodeAssociateRequest(body),
            PduType.AssociateAccept => DecodeAssociateAccept(body),
            PduType.AssociateReject => DecodeReject(body),
            PduType.PData => DecodePData(body),
            PduType.ReleaseRequest => DecodeFixed(type, body, ReleaseRequestPdu.Instance),
            PduType.ReleaseResponse => DecodeFixed(type, body, ReleaseResponsePdu.Instance),
            PduType.Abort => DecodeAbort(body),
            _ => throw DicomProtocolException.Field(DicomPdu.Name(type), "PDU-type", 0, "unrecognized", AbortReason.UnrecognizedPdu),
        };
    }

    private static uint MaxLength(PduType type, PduLimits limits) => type switch
    {
        PduType.PData => Math.Min(limits.MaxPDataLength == 0 ? PduLimits.HardCap : limits.MaxPDataLength, PduLimits.HardCap),
        PduType.AssociateRequest or PduType.AssociateAccept => Math.Min(limits.MaxAssociateLength, PduLimits.HardCap),
        PduType.AssociateReject or PduType.ReleaseRequest or PduType.ReleaseResponse or PduType.Abort => 4,
        _ => throw DicomProtocolException.Field(DicomPdu.Name(type), "PDU-type", 0, "unrecognized", AbortReason.UnrecognizedPdu),
    };

    private static DicomPdu DecodeFixed(PduType type, byte[] body, DicomPdu instance)
    {
        // 06-09 reserved (PS3.8 §9.3.6/§9.3.7)
        if (body.Length != 4) throw DicomProtocolException.Field(DicomPdu.Name(type), "PDU-length", 2, $"must be 4, found {body.Length}");
        return instance;
    }

    private static AbortPdu DecodeAbort(byte[] body)
    {
        // 06 reserved, 07 reserved, 08 source, 09 reason/diag. (PS3.8 §9.3.8)
        if (body.Length != 4) throw DicomProtocolException.Field("A-ABORT", "PDU-length", 2, $"must be 4, found {body.Length}");
        return new AbortPdu((AbortSource)body[2], (AbortReason)body[3]);
    }

    private static AssociateRejectPdu DecodeReject(byte[] body)
    {
        // 06 reserved, 07 result, 08 source, 09 reason/diag. (PS3.8 §9.3.4)
        if (body.Length != 4) throw DicomProtocolException.Field("A-ASSOCIATE-RJ", "PDU-length", 2, $"must be 4, found {body.Length}");
        if (body[1] is not (1 or 2)) throw DicomProtocolException.Field("A-ASSOCIATE-RJ", "Result", 7, $"{body[1]} is not 1 or 2");
        if (body[2] is not (1 or 2 or 3)) throw DicomProtocolException.Field("A-ASSOCIATE-RJ", "Source", 8, $"{body[2]} is not 1, 2 or 3");
        return new AssociateRejectPdu((AssociateRejectResult)body[1], (AssociateRejectSource)body[2], body[3]);
    }

    private static PDataTfPdu DecodePData(byte[] body)
    {
        const string Pdu = "P-DATA-TF";
        var values = new List<PresentationDataValue>(1);
        var at = 0;
        while (at < body.Length)
        {
            // Presentation data value item (PS3.8 §9.3.5.1, Annex E.2):
            // 00-03 item-length: context id + control header + fragment
            // 04    presentation-context-ID (odd, 1-255)
            // 05    message control header: bit 0 = command (1) / data set (0), bit 1 = last fragment
            // 06-   fragment
            if (body.Length - at < 4) throw DicomProtocolException.Field(Pdu, "Item-length", HeaderLength + at, "truncated PDV item header");
            var itemLength = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(at));
            if (itemLength < 2 || itemLength > body.Length - at - 4)
                throw DicomProtocolException.Field(Pdu, "Item-length", HeaderLength + at, $"{itemLength} does not fit the PDU ({body.Length - at - 4} bytes left)");
            var id = body[at + 4];
            if ((id & 1) == 0) throw DicomProtocolException.Field(Pdu, "Presentation-context-ID", HeaderLength + at + 4, $"{id} is not odd");
            var control = body[at + 5];
            values.Add(new PresentationDataValue(id, (control & 1) != 0, (control & 2) != 0, body.AsMemory(at + 6, (int)itemLength - 2)));
            at += 4 + (int)itemLength;
        }

        if (values.Count == 0) throw DicomProtocolException.Field(Pdu, "Presentation-data-value items", HeaderLength, "none (at least one is required)");
        return new PDataTfPdu(values);
    }

    private static AssociateRequestPdu DecodeAssociateRequest(byte[] body)
    {
        const string Pdu = "A-ASSOCIATE-RQ";
        var (version, called, calling) = DecodeFixedPart(Pdu, body);
        string? context = null;
        var proposals = new List<PresentationContextProposal>();
        UserInformation? user = null;
        foreach (var (itemType, offset, length) in Items(Pdu, body, FixedPartLength, body.Length))
        {
            switch (itemType)
            {
                case 0x10: context = ReadUid(Pdu, "Application-context-name", body, offset, length); break;
                case 0x20: proposals.Add(DecodeProposal(body, offset, length)); break;
                case 0x50: user = DecodeUserInformation(Pdu, body, offset, length); break;
                default:
                    throw DicomProtocolException.Field(Pdu, "Item-type", HeaderLength + offset - 4, $"0x{itemType:X2} is not an A-ASSOCIATE-RQ item", AbortReason.UnrecognizedPduParameter);
            }
        }

        if (context is null) throw DicomProtocolException.Field(Pdu, "Application Context Item", HeaderLength + FixedPartLength, "missing");
        if (proposals.Count == 0) throw DicomProtocolException.Field(Pdu, "Presentation Context Item", HeaderLength + FixedPartLength, "none proposed");
        if (user is null) throw DicomProtocolException.Field(Pdu, "User Information Item", HeaderLength + FixedPartLength, "missing (PS3.7 D.3.3.1: maximum length is mandatory)");
        return new AssociateRequestPdu(called, calling, context, proposals, user) { ProtocolVersion = version };
    }

    private static AssociateAcceptPdu DecodeAssociateAccept(byte[] body)
    {
        const string Pdu = "A-ASSOCIATE-AC";
        var (version, called, calling) = DecodeFixedPart(Pdu, body, testAeTitles: false);
        string? context = null;
        var results = new List<PresentationContextResult>();
        UserInformation? user = null;
        foreach (var (itemType, offset, length) in Items(Pdu, body, FixedPartLength, body.Length))
        {
            switch (itemType)
            {
                case 0x10: context = ReadUid(Pdu, "Application-context-name", body, offset, length); break;
                case 0x21: results.Add(DecodeResult(body, offset, length)); break;
                case 0x50: user = DecodeUserInformation(Pdu, body, offset, length); break;
                default:
                    throw DicomProtocolException.Field(Pdu, "Item-type", HeaderLength + offset - 4, $"0x{itemType:X2} is not an A-ASSOCIATE-AC item", AbortReason.UnrecognizedPduParameter);
            }
        }

        if (context is null) throw DicomProtocolException.Field(Pdu, "Application Context Item", HeaderLength + FixedPartLength, "missing");
        if (user is null) throw DicomProtocolException.Field(Pdu, "User Information Item", HeaderLength + FixedPartLength, "missing");
        return new AssociateAcceptPdu(called, calling, context, results, user) { ProtocolVersion = version };
    }

    // Bytes of the A-ASSOCIATE-RQ/AC fixed part after the header (PS3.8 §9.3.2/§9.3.3).
    private const int FixedPartLength = 68;

    private static (ushort Version, string Called, string Calling) DecodeFixedPart(string pdu, byte[] body, bool testAeTitles = true)
    {
        // 06-07 Protocol-version (bit 0 = version 1)
        // 08-09 reserved
        // 10-25 Called-AE-title (16, space padded)
        // 26-41 Calling-AE-title (16, space padded)
        // 42-73 reserved (32)
        // 74-   variable items
        if (body.Length < FixedPartLength) throw DicomProtocolException.Field(pdu, "PDU-length", 2, $"{body.Length} is shorter than the fixed part ({FixedPartLength})");
        // A request without bit 0 is rejected by the acceptor (RJ source 2, reason 2), not treated as malformed.
        var version = BinaryPrimitives.ReadUInt16BigEndian(body);
        // In A-ASSOCIATE-AC the AE title fields are reserved: echoed from the request and "not tested when received" (Table 9-17).
        if (!testAeTitles) return (version, Encoding.ASCII.GetString(body, 4, 16).Trim(' ', '\0'), Encoding.ASCII.GetString(body, 20, 16).Trim(' ', '\0'));
        return (version, ReadAeTitle(pdu, "Called-AE-title", body, 4), ReadAeTitle(pdu, "Calling-AE-title", body, 20));
    }

    private static string ReadAeTitle(string pdu, string field, byte[] body, int offset)
    {
        // PS3.5 Table 6.2-1 (AE): 16 characters of the default repertoire, no control characters or backslash;
        // leading and trailing spaces are not significant.
        var span = body.AsSpan(offset, 16);
        foreach (var b in span)
        {
            if (b is < 0x20 or > 0x7E or (byte)'\\')
                throw DicomProtocolException.Field(pdu, field, HeaderLength + offset, $"byte 0x{b:X2} is not allowed in an AE title");
        }

        var title = Encoding.ASCII.GetString(span).Trim(' ');
        if (title.Length == 0) throw DicomProtocolException.Field(pdu, field, HeaderLength + offset, "all spaces");
        return title;
    }

    private static IEnumerable<(byte Type, int Offset, int Length)> Items(string pdu, byte[] body, int from, int to)
    {
        // Item: 00 item-type, 01 reserved, 02-03 item-length (big endian), 04- contents
        var at = from;
        while (at < to)
        {
            if (to - at < 4) throw DicomProtocolException.Field(pdu, "Item header", HeaderLength + at, "truncated");
            var type = body[at];
            var length = BinaryPrimitives.ReadUInt16BigEndian(body.AsSpan(at + 2));
            if (length > to - at - 4)
                throw DicomProtocolException.Field(pdu, "Item-length", HeaderLength + at + 2, $"{length} exceeds the {to - at - 4} bytes left");
            yield return (type, at + 4, length);
            at += 4 + length;
        }
    }

    private static PresentationContextProposal DecodeProposal(byte[] body, int offset, int length)
    {
        const string Pdu = "A-ASSOCIATE-RQ presentation context";
        // 04 Presentation-context-ID, 05-07 reserved, 08- one abstract syntax sub-item (0x30), one or more transfer syntax sub-items (0x40)
        if (length < 4) throw DicomProtocolException.Field(Pdu, "Item-length", HeaderLength + offset - 2, $"{length} is shorter than 4");
        var id = body[offset];
        if ((id & 1) == 0) throw DicomProtocolException.Field(Pdu, "Presentation-context-ID", HeaderLength + offset, $"{id} is not odd");
        string? abstractSyntax = null;
        var transferSyntaxes = new List<string>();
        foreach (var (type, at, len) in Items(Pdu, body, offset + 4, offset + length))
        {
            switch (type)
            {
                case 0x30 when abstractSyntax is null: abstractSyntax = ReadUid(Pdu, "Abstract-syntax-name", body, at, len); break;
                case 0x40: transferSyntaxes.Add(ReadUid(Pdu, "Transfer-syntax-name", body, at, len)); break;
                default: throw DicomProtocolException.Field(Pdu, "Item-type", HeaderLength + at - 4, $"0x{type:X2} unexpected", AbortReason.UnexpectedPduParameter);
            }
        }

        if (abstractSyntax is null) throw DicomProtocolException.Field(Pdu, "Abstract Syntax Sub-Item", HeaderLength + offset, $"missing in context {id}");
        if (transferSyntaxes.Count == 0) throw DicomProtocolException.Field(Pdu, "Transfer Syntax Sub-Item", HeaderLength + offset, $"none in context {id}");
        return new PresentationContextProposal(id, abstractSyntax, transferSyntaxes);
    }

    private static PresentationContextResult DecodeResult(byte[] body, int offset, int length)
    {
        const string Pdu = "A-ASSOCIATE-AC presentation context";
        // 04 Presentation-context-ID, 05 reserved, 06 Result/Reason, 07 reserved, 08- one transfer syntax sub-item (0x40)
        if (length < 4) throw DicomProtocolException.Field(Pdu, "Item-length", HeaderLength + offset - 2, $"{length} is shorter than 4");
        var id = body[offset];
        var result = body[offset + 2];
        if (result > 4) throw DicomProtocolException.Field(Pdu, "Result/Reason", HeaderLength + offset + 2, $"{result} is not 0-4");
        string? transferSyntax = null;
        foreach (var (type, at, len) in Items(Pdu, body, offset + 4, offset + length))
        {
            if (type != 0x40) throw DicomProtocolException.Field(Pdu, "Item-type", HeaderLength + at - 4, $"0x{type:X2} unexpected", AbortReason.UnexpectedPduParameter);
            // PS3.8 §9.3.3.2: when not accepted the sub-item is present but not significant (may be empty).
            transferSyntax = len == 0 ? null : ReadUid(Pdu, "Transfer-syntax-name", body, at, len);
        }

        if (result == 0 && transferSyntax is null) throw DicomProtocolException.Field(Pdu, "Transfer Syntax Sub-Item", HeaderLength + offset, $"missing in accepted context {id}");
        return new PresentationContextResult(id, (PresentationContextResultCode)result, result == 0 ? transferSyntax : null);
    }

    private static UserInformation DecodeUserInformation(string pdu, byte[] body, int offset, int length)
    {
        uint? maxLength = null;
        string? classUid = null;
        string? version = null;
        foreach (var (type, at, len) in Items(pdu + " user information", body, offset, offset + length))
        {
            switch (type)
            {
                case 0x51:
                    // PS3.8 D.1: 04-07 Maximum-length-received
                    if (len != 4) throw DicomProtocolException.Field(pdu, "Maximum-length-received", HeaderLength + at - 2, $"item length {len} is not 4");
                    maxLength = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(at));
                    break;
                case 0x52: classUid = ReadUid(pdu, "Implementation-class-uid", body, at, len); break;
                case 0x55:
                    if (len > 16) throw DicomProtocolException.Field(pdu, "Implementation-version-name", HeaderLength + at - 2, $"{len} characters (at most 16)");
                    version = Encoding.ASCII.GetString(body, at, len).Trim(' ', '\0');
                    break;
                default:
                    break; // asynchronous operations window, role selection, extended negotiation, identity: not used
            }
        }

        if (maxLength is null) throw DicomProtocolException.Field(pdu, "Maximum Length Sub-Item", HeaderLength + offset, "missing (PS3.7 D.3.3.1)");
        return new UserInformation(maxLength.Value, classUid ?? "", version);
    }

    private static string ReadUid(string pdu, string field, byte[] body, int offset, int length)
    {
        if (length is 0 or > 64) throw DicomProtocolException.Field(pdu, field, HeaderLength + offset, $"length {length} is not 1-64");
        // PS3.8 Annex F: UIDs are not padded, but a trailing NUL is tolerated (some implementations send one).
        var text = Encoding.ASCII.GetString(body, offset, length).TrimEnd('\0', ' ');
        // Digits and dots only; leading zeros in a component are tolerated on read (seen in the field).
        if (text.Length == 0 || text.Any(c => c is not ('.' or (>= '0' and <= '9'))))
            throw DicomProtocolException.Field(pdu, field, HeaderLength + offset, "not a UID (digits and dots)");
        return text;
    }
}
