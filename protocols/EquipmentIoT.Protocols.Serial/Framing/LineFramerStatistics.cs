namespace EquipmentIoT.Protocols.Serial.Framing;

/// <summary>What a <see cref="LineFramer"/> has seen so far.</summary>
/// <param name="Lines">Complete lines handed out.</param>
/// <param name="EmptyLines">Lines with nothing left once control bytes were dropped (skipped).</param>
/// <param name="OverlongLines">Lines longer than the maximum, each discarded up to its terminator (counted once).</param>
/// <param name="EncodingErrors">Lines with bytes invalid in the encoding (skipped).</param>
/// <param name="ControlBytes">Control bytes (C0 except TAB and terminators, DEL) dropped from lines, NUL included.</param>
/// <param name="NulBytes">NUL bytes among <paramref name="ControlBytes"/> (a parity error reads as NUL).</param>
/// <param name="PartialLines">Unterminated lines dropped when the port closed or went silent.</param>
public readonly record struct LineFramerStatistics(
    long Lines, long EmptyLines, long OverlongLines, long EncodingErrors, long ControlBytes, long NulBytes, long PartialLines);
