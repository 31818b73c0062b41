using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace EquipmentIoT.Protocols.Dicom.Pdu;

/// <summary>Encodes PDUs (PS3.8 §9.3). Pure and synchronous; the layout comments give offsets from the PDU's first byte.</summary>
public static class PduWriter
{
    /// <summary>Writes <paramref name="pdu"/> to <paramref name="output"/>.</summary>
    public static void Write(DicomPdu pdu, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(pdu);
        ArgumentNullException.ThrowIfNull(output);
        var body = new ArrayBufferWriter<byte>(256);
        switch (pdu)
        {
            case AssociateRequestPdu rq:
                WriteFixedPart(body, rq.ProtocolVersion, rq.CalledAeTitle, rq.CallingAeTitle);
                WriteUidItem(body, 0x10, rq.ApplicationContext);
                foreach (var pc in rq.PresentationContexts) WriteProposal(body, pc);
                WriteUserInformation(body, rq.UserInformation);
                break;
            case AssociateAcceptPdu ac:
                WriteFixedPart(body, ac.ProtocolVersion, ac.CalledAeTitle, ac.CallingAeTitle);
                WriteUidItem(body, 0x10, ac.ApplicationContext);
                foreach (var pc in ac.PresentationContexts) WriteResult(body, pc);
                WriteUserInformation(body, ac.UserInformation);
                break;
            case AssociateRejectPdu rj:
                // 06 reserved, 07 result, 08 source, 09 reason/diag.
                body.Write<byte>([0, (byte)rj.Result, (byte)rj.Source, rj.Reason]);
                break;
            case PDataTfPdu data:
                foreach (var pdv in data.Values) WritePdv(body, pdv);
                break;
            case ReleaseRequestPdu or ReleaseResponsePdu:
                body.Write<byte>([0, 0, 0, 0]); // 06-09 reserved
                break;
            case AbortPdu abort:
                // 06 reserved, 07 reserved, 08 source, 09 reason/diag.
                body.Write<byte>([0, 0, (byte)abort.Source, (byte)abort.Reason]);
                break;
            default:
                throw new ArgumentException($"unknown PDU {pdu.GetType().Name}", nameof(pdu));
        }

        // 00 PDU-type, 01 reserved, 02-05 PDU-length
        var header = output.GetSpan(PduReader.HeaderLength);
        header[0] = (byte)pdu.Type;
        header[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header[2..], (uint)body.WrittenCount);
        output.Advance(PduReader.HeaderLength);
        output.Write(body.WrittenSpan);
    }

    /// <summary>Encodes <paramref name="pdu"/> into a new array.</summary>
    public static byte[] ToArray(DicomPdu pdu)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(pdu, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Writes a P-DATA-TF PDU holding one PDV without building the PDU object first (the send path).
    /// </summary>
    public static void WritePData(IBufferWriter<byte> output, byte presentationContextId, bool isCommand, bool isLast, ReadOnlySpan<byte> fragment)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(PduReader.HeaderLength + PresentationDataValue.Overhead);
        span[0] = (byte)PduType.PData;
        span[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[2..], checked((uint)(fragment.Length + PresentationDataValue.Overhead)));
        BinaryPrimitives.WriteUInt32BigEndian(span[6..], checked((uint)(fragment.Length + 2)));
        span[10] = presentationContextId;
        span[11] = ControlHeader(isCommand, isLast);
        output.Advance(PduReader.HeaderLength + PresentationDataValue.Overhead);
        output.Write(fragment);
    }

    private static byte ControlHeader(bool isCommand, bool isLast) => (byte)((isCommand ? 1 : 0) | (isLast ? 2 : 0));

    private static void WritePdv(ArrayBufferWriter<byte> body, PresentationDataValue pdv)
    {
        // 00-03 item-length, 04 presentation-context-ID, 05 message control header, 06- fragment
        var span = body.GetSpan(6);
        BinaryPrimitives.WriteUInt32BigEndian(span, checked((uint)(pdv.Data.Length + 2)));
        span[4] = pdv.PresentationContextId;
        span[5] = ControlHeader(pdv.IsCommand, pdv.IsLast);
        body.Advance(6);
        body.Write(pdv.Data.Span);
    }

    private static void WriteFixedPart(ArrayBufferWriter<byte> body, ushort version, string called, string calling)
    {
        // 06-07 Protocol-version, 08-09 reserved, 10-25 Called-AE-title, 26-41 Calling-AE-title, 42-73 reserved
        var span = body.GetSpan(68)[..68];
        span.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(span, version);
        WriteAeTitle(span.Slice(4, 16), called);
        WriteAeTitle(span.Slice(20, 16), calling);
        body.Advance(68);
    }

    private static void WriteAeTitle(Span<byte> field, string title)
    {
        if (title.Length is 0 or > 16) throw new ArgumentException($"AE title '{title}' must be 1-16 characters");
        field.Fill((byte)' ');
        Encoding.ASCII.GetBytes(title, field);
    }

    private static void WriteItemHeader(ArrayBufferWriter<byte> body, byte type, int length)
    {
        if (length > ushort.MaxValue) throw new ArgumentException($"item 0x{type:X2} of {length} bytes does not fit its 2-byte length");
        var span = body.GetSpan(4);
        span[0] = type;
        span[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)length);
        body.Advance(4);
    }

    private static void WriteUidItem(ArrayBufferWriter<byte> body, byte type, string uid)
    {
        WriteItemHeader(body, type, uid.Length);
        Encoding.ASCII.GetBytes(uid, body.GetSpan(uid.Length));
        body.Advance(uid.Length);
    }

    private static void WriteProposal(ArrayBufferWriter<byte> body, PresentationContextProposal pc)
    {
        // 04 Presentation-context-ID, 05-07 reserved, 08- abstract syntax (0x30), transfer syntaxes (0x40)
        var length = 4 + 4 + pc.AbstractSyntax.Length + pc.TransferSyntaxes.Sum(t => 4 + t.Length);
        WriteItemHeader(body, 0x20, length);
        body.Write<byte>([pc.Id, 0, 0, 0]);
        WriteUidItem(body, 0x30, pc.AbstractSyntax);
        foreach (var ts in pc.TransferSyntaxes) WriteUidItem(body, 0x40, ts);
    }

    private static void WriteResult(ArrayBufferWriter<byte> body, PresentationContextResult pc)
    {
        // 04 Presentation-context-ID, 05 reserved, 06 Result/Reason, 07 reserved, 08- transfer syntax (0x40)
        var ts = pc.TransferSyntax ?? "";
        WriteItemHeader(body, 0x21, 4 + 4 + ts.Length);
        body.Write<byte>([pc.Id, 0, (byte)pc.Result, 0]);
        WriteUidItem(body, 0x40, ts);
    }

    private static void WriteUserInformation(ArrayBufferWriter<byte> body, UserInformation user)
    {
        var version = user.ImplementationVersionName;
        var length = 8 + 4 + user.ImplementationClassUid.Length + (version is null ? 0 : 4 + version.Length);
        WriteItemHeader(body, 0x50, length);
        // Maximum Length Sub-Item (PS3.8 D.1): 04-07 Maximum-length-received
        WriteItemHeader(body, 0x51, 4);
        BinaryPrimitives.WriteUInt32BigEndian(body.GetSpan(4), user.MaxLength);
        body.Advance(4);
        // Implementation Class UID (0x52) and Version Name (0x55), PS3.7 D.3.3.2
        WriteUidItem(body, 0x52, user.ImplementationClassUid);
        if (version is not null)
        {
            WriteItemHeader(body, 0x55, version.Length);
            Encoding.ASCII.GetBytes(version, body.GetSpan(version.Length));
            body.Advance(version.Length);
        }
    }
}
