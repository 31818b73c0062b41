using System.Buffers.Binary;
using EquipmentIoT.Protocols.Dicom.Data;

namespace EquipmentIoT.Protocols.Dicom.Dimse;

/// <summary>
/// Command sets (PS3.7 §6.3.1, §E.1): always Implicit VR Little Endian, starting with Command Group Length
/// (0000,0000), the byte count of the group's other elements.
/// </summary>
public static class DimseCommandCodec
{
    /// <summary>Largest command set accepted (a command is a few hundred bytes).</summary>
    public const int MaxCommandLength = 64 * 1024;

    /// <summary>Encodes the command set of <paramref name="message"/>.</summary>
    public static byte[] Encode(DimseMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var command = new DicomDataset();
        message.WriteCommand(command);
        command.AddUInt16(DicomTags.CommandField, (ushort)message.CommandField);
        command.AddUInt16(DicomTags.CommandDataSetType, message.Dataset is null ? DimseMessage.NoDataSet : DimseMessage.DataSetPresent);
        var body = DatasetWriter.ToArray(command, explicitVR: false);
        // 00-03 tag (0000,0000), 04-07 length 4, 08-11 group length (UL)
        var result = new byte[12 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(8), (uint)body.Length);
        body.CopyTo(result, 12);
        return result;
    }

    /// <summary>Decodes a command set.</summary>
    /// <exception cref="DicomProtocolException">Malformed, or a required command element is missing.</exception>
    public static DicomDataset DecodeCommand(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length > MaxCommandLength) throw DicomProtocolException.Field("command set", "length", 0, $"{bytes.Length} bytes exceeds {MaxCommandLength}");
        var command = DatasetReader.Read(bytes, explicitVR: false, new DatasetReadOptions(2, 256));
        foreach (var element in command)
        {
            if (element.Tag.Group != 0x0000) throw DicomProtocolException.Field("command set", $"element {element.Tag}", 0, "outside the command group (0000)");
        }

        return command;
    }

    /// <summary>True when the command says a data set follows (Command Data Set Type ≠ 0101).</summary>
    public static bool HasDataset(DicomDataset command) => Required16(command, DicomTags.CommandDataSetType) != DimseMessage.NoDataSet;

    /// <summary>Turns a command set (and its data set) into a message.</summary>
    /// <exception cref="DicomProtocolException">A required element is missing.</exception>
    public static DimseMessage ToMessage(DicomDataset command, DicomDataset? dataset)
    {
        ArgumentNullException.ThrowIfNull(command);
        var field = Required16(command, DicomTags.CommandField);
        DimseMessage message = (DimseCommandField)field switch
        {
            DimseCommandField.CEchoRequest => CEchoRequest.Read(command),
            DimseCommandField.CEchoResponse => CEchoResponse.Read(command),
            DimseCommandField.NCreateRequest => NCreateRequest.Read(command),
            DimseCommandField.NCreateResponse => NCreateResponse.Read(command),
            DimseCommandField.NSetRequest => NSetRequest.Read(command),
            DimseCommandField.NSetResponse => NSetResponse.Read(command),
            _ when (field & 0x8000) == 0 => new UnrecognizedRequest(Required16(command, DicomTags.MessageID), field,
                command.GetString(DicomTags.AffectedSOPClassUID) ?? command.GetString(DicomTags.RequestedSOPClassUID)),
            _ => throw DicomProtocolException.Field("command set", "Command Field (0000,0100)", 0, $"unexpected response 0x{field:X4}"),
        };
        return message with { Dataset = dataset };
    }

    internal static ushort Required16(DicomDataset command, DicomTag tag) =>
        command.GetUInt16(tag) ?? throw DicomProtocolException.Field("command set", $"{tag} {DicomDictionary.Find(tag)?.Keyword}", 0, "missing");

    internal static string RequiredUid(DicomDataset command, DicomTag tag) =>
        command.GetString(tag) is { Length: > 0 } uid ? uid : throw DicomProtocolException.Field("command set", $"{tag} {DicomDictionary.Find(tag)?.Keyword}", 0, "missing");
}
