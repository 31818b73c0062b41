using System.Buffers;
using EquipmentIoT.Protocols.Dicom.Data;
using EquipmentIoT.Protocols.Dicom.Dimse;
using EquipmentIoT.Protocols.Dicom.Pdu;

namespace EquipmentIoT.Protocols.Dicom.Association;

/// <summary>A whole DIMSE message received: its context, its command set and the data set bytes (if any).</summary>
internal sealed record AssembledMessage(PresentationContext Context, DicomDataset Command, byte[]? DatasetBytes);

/// <summary>
/// Joins PDV fragments into DIMSE messages (PS3.7 §6.3.1, PS3.8 Annex E): the command fragments until the
/// one marked last, then, when the command says a data set follows, the data set fragments; all on one
/// accepted presentation context. Sizes are bounded before bytes are kept.
/// </summary>
internal sealed class DimseAssembler(AssociationInfo association, int maxDatasetLength)
{
    private readonly ArrayBufferWriter<byte> _command = new(512);
    private readonly ArrayBufferWriter<byte> _dataset = new(4096);
    private PresentationContext? _context;
    private DicomDataset? _commandSet;

    /// <summary>Adds one PDV; returns the message when it is complete.</summary>
    /// <exception cref="DicomProtocolException">A fragment out of order, on an unknown context or beyond the limits.</exception>
    public AssembledMessage? Add(PresentationDataValue pdv)
    {
        if (!association.Contexts.TryGetValue(pdv.PresentationContextId, out var context))
            throw Unexpected($"presentation context {pdv.PresentationContextId} was not accepted");
        if (_context is not null && _context.Id != context.Id)
            throw Unexpected($"fragment on context {context.Id} inside a message on context {_context.Id}");
        _context = context;

        if (_commandSet is null)
        {
            if (!pdv.IsCommand) throw Unexpected("a data set fragment before the command was complete");
            if (_command.WrittenCount + pdv.Data.Length > DimseCommandCodec.MaxCommandLength)
                throw Unexpected($"command set longer than {DimseCommandCodec.MaxCommandLength} bytes");
            _command.Write(pdv.Data.Span);
            if (!pdv.IsLast) return null;
            _commandSet = DimseCommandCodec.DecodeCommand(_command.WrittenSpan.ToArray());
            if (DimseCommandCodec.HasDataset(_commandSet)) return null;
            return Complete(null);
        }

        if (pdv.IsCommand) throw Unexpected("a command fragment while the data set was expected");
        if (_dataset.WrittenCount + pdv.Data.Length > maxDatasetLength)
            throw Unexpected($"data set longer than {maxDatasetLength} bytes");
        _dataset.Write(pdv.Data.Span);
        return pdv.IsLast ? Complete(_dataset.WrittenSpan.ToArray()) : null;
    }

    /// <summary>True while part of a message has been received.</summary>
    public bool InProgress => _context is not null;

    private AssembledMessage Complete(byte[]? dataset)
    {
        var message = new AssembledMessage(_context!, _commandSet!, dataset);
        _context = null;
        _commandSet = null;
        _command.Clear();
        _dataset.Clear();
        return message;
    }

    private static DicomProtocolException Unexpected(string problem) =>
        DicomProtocolException.Field("P-DATA-TF", "presentation data value", 0, problem, AbortReason.UnexpectedPduParameter);
}
