using EquipmentIoT.Protocols.Telemetry.Commands;

namespace EquipmentIoT.EdgeAgent.Buffer;

/// <summary>
/// What <see cref="DurableBuffer.ReadRangeAsync"/> found for a seq range: the records still on disk (in
/// seq order, acknowledged or not) and the sub-ranges that are not (evicted, past retention, lost to
/// corruption, or never appended). <see cref="ContinueFrom"/> is set when the read stopped at
/// <see cref="BufferOptions.MaxRangeReadBytes"/>; ask again from there for the rest, which is then
/// neither in <see cref="Records"/> nor in <see cref="Unavailable"/>.
/// </summary>
public sealed record RangeReadResult(IReadOnlyList<BufferedRecord> Records, IReadOnlyList<SeqRange> Unavailable, long? ContinueFrom);
