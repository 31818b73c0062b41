namespace EquipmentIoT.EdgeAgent.Adapters.Serial;

/// <summary>What a <see cref="SerialAdapter"/> has read since it was created.</summary>
/// <param name="BytesRead">Bytes read from the port.</param>
/// <param name="LinesOk">Lines a rule took.</param>
/// <param name="LinesUnmatched">Lines no rule matched (or whose grammar did not fit).</param>
/// <param name="EmptyLines">Lines empty once control bytes were dropped.</param>
/// <param name="ControlBytes">Control bytes (garbage) dropped from lines, NUL included.</param>
/// <param name="NulBytes">NUL bytes (parity errors read as NUL) among the control bytes.</param>
/// <param name="OverlongLines">Lines longer than maxLineLength, discarded.</param>
/// <param name="EncodingErrors">Lines invalid in the profile's encoding, skipped.</param>
/// <param name="PartialLines">Unterminated lines dropped on silence or when the port went away.</param>
/// <param name="RegexTimeouts">Lines skipped because a regex ran too long.</param>
/// <param name="MissingFields">Fields a rule reads that the line did not have.</param>
/// <param name="NonNumericFields">Metric fields that were not finite numbers.</param>
/// <param name="InvalidValues">State or fault values too long to be a state or a code.</param>
/// <param name="Opens">Successful opens of the port (the first included).</param>
/// <param name="PortFailures">Failed opens and lost ports (unplugged, EIO).</param>
public sealed record SerialAdapterStatistics(
    long BytesRead, long LinesOk, long LinesUnmatched, long EmptyLines, long ControlBytes, long NulBytes,
    long OverlongLines, long EncodingErrors, long PartialLines, long RegexTimeouts, long MissingFields,
    long NonNumericFields, long InvalidValues, long Opens, long PortFailures);
