namespace EquipmentIoT.Protocols.Dicom;

/// <summary>
/// The peer broke the DICOM rules (a malformed PDU or data set, a length beyond the limits, a PDU that is
/// not allowed in the association's state). Not transient: the association that carried it is aborted.
/// Decode errors name the PDU or element, the field and the byte offset.
/// </summary>
public sealed class DicomProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DicomProtocolException(string message) : base(message) { }

    /// <summary>Creates the exception with an inner cause.</summary>
    public DicomProtocolException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception.</summary>
    public DicomProtocolException() : base("DICOM protocol violation") { }

    /// <summary>The A-ABORT reason that fits the violation (PS3.8 Table 9-26), for the abort sent to the peer.</summary>
    public Pdu.AbortReason AbortReason { get; init; } = Pdu.AbortReason.InvalidPduParameterValue;

    internal static DicomProtocolException Field(string what, string field, long offset, string problem,
        Pdu.AbortReason reason = Pdu.AbortReason.InvalidPduParameterValue) =>
        new($"DICOM {what}: {field} at offset {offset}: {problem}") { AbortReason = reason };
}

/// <summary>The connection to the peer failed or timed out (I/O; transient, may be retried).</summary>
public sealed class DicomCommunicationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DicomCommunicationException(string message) : base(message) { }

    /// <summary>Creates the exception with an inner cause.</summary>
    public DicomCommunicationException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception.</summary>
    public DicomCommunicationException() : base("DICOM communication failed") { }
}
