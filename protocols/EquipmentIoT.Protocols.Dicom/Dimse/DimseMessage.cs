using EquipmentIoT.Protocols.Dicom.Data;

namespace EquipmentIoT.Protocols.Dicom.Dimse;

/// <summary>
/// A DIMSE message (PS3.7 §6.3): a command set, always Implicit VR Little Endian (PS3.7 §6.3.1), and an
/// optional data set in the presentation context's transfer syntax. Each message type is a record in its
/// own file; <see cref="DimseCommandCodec"/> turns them into command sets and back.
/// </summary>
public abstract record DimseMessage
{
    /// <summary>Command Data Set Type (0000,0800) meaning "no data set" (PS3.7 Table E.1-1).</summary>
    public const ushort NoDataSet = 0x0101;

    /// <summary>The value we send when a data set follows (any value but 0101 means present).</summary>
    public const ushort DataSetPresent = 0x0000;

    /// <summary>The command field.</summary>
    public abstract DimseCommandField CommandField { get; }

    /// <summary>The data set that follows the command, if any.</summary>
    public DicomDataset? Dataset { get; init; }

    /// <summary>Adds this message's command elements (other than command field, data set type and group length).</summary>
    internal abstract void WriteCommand(DicomDataset command);
}

/// <summary>A request: it carries a Message ID (0000,0110).</summary>
public abstract record DimseRequest(ushort MessageId) : DimseMessage;

/// <summary>A response: Message ID Being Responded To (0000,0120), Status (0000,0900) and the optional error elements.</summary>
public abstract record DimseResponse(ushort MessageIdBeingRespondedTo, DimseStatus Status) : DimseMessage
{
    /// <summary>Error Comment (0000,0902): at most 64 characters of the default repertoire.</summary>
    public string? ErrorComment { get; init; }

    /// <summary>Error ID (0000,0903).</summary>
    public ushort? ErrorId { get; init; }

    /// <summary>Offending Element (0000,0901).</summary>
    public DicomTag? OffendingElement { get; init; }

    internal void WriteStatus(DicomDataset command)
    {
        command.AddUInt16(DicomTags.MessageIDBeingRespondedTo, MessageIdBeingRespondedTo);
        command.AddUInt16(DicomTags.Status, Status.Code);
        if (OffendingElement is { } offending) command.AddAttributeTag(DicomTags.OffendingElement, offending);
        if (ErrorComment is { } comment) command.AddString(DicomTags.ErrorComment, comment.Length > 64 ? comment[..64] : comment);
        if (ErrorId is { } id) command.AddUInt16(DicomTags.ErrorID, id);
    }

    internal static T ReadStatus<T>(T response, DicomDataset command) where T : DimseResponse => response with
    {
        ErrorComment = command.GetString(DicomTags.ErrorComment),
        ErrorId = command.GetUInt16(DicomTags.ErrorID),
        OffendingElement = command.GetAttributeTag(DicomTags.OffendingElement),
    };
}
