using EquipmentIoT.Protocols.Telemetry.Commands;

namespace EquipmentIoT.EdgeAgent.Buffer;

/// <summary>What opening the buffer found and repaired, per stream.</summary>
public sealed record RecoveryReport(IReadOnlyList<StreamRecoveryReport> Streams)
{
    /// <summary>True when no stream needed any repair.</summary>
    public bool IsClean => Streams.All(s => s.IsClean);

    /// <summary>The report of one stream.</summary>
    public StreamRecoveryReport For(string stream) => Streams.Single(s => s.Stream == stream);
}

/// <summary>
/// What recovery did to one stream. <see cref="LostRanges"/> are seqs known to have existed (records on
/// both sides survived, or the ack file says they were stored) that are no longer on disk; a torn
/// record at the very end is not in it (its append never completed), only in <see cref="BytesCut"/>.
/// </summary>
/// <param name="Stream">"metrics" or "events".</param>
/// <param name="RecordsKept">Records found intact and indexed.</param>
/// <param name="BytesCut">Bytes that hold no intact record: torn tails, corrupt regions, garbage files.</param>
/// <param name="LostRanges">Seq ranges known lost.</param>
/// <param name="SkippedRecords">Intact records skipped because their seq went backwards or repeated.</param>
/// <param name="FilesAffected">Files (names within the stream directory) that were truncated, deleted or had bytes cut.</param>
/// <param name="Problems">One line per thing found, for logs and the health record.</param>
public sealed record StreamRecoveryReport(
    string Stream,
    long RecordsKept,
    long BytesCut,
    IReadOnlyList<SeqRange> LostRanges,
    long SkippedRecords,
    IReadOnlyList<string> FilesAffected,
    IReadOnlyList<string> Problems)
{
    /// <summary>True when nothing was cut, lost, skipped or repaired.</summary>
    public bool IsClean => BytesCut == 0 && LostRanges.Count == 0 && SkippedRecords == 0 && FilesAffected.Count == 0 && Problems.Count == 0;
}
