namespace EquipmentIoT.EdgeAgent.Buffer;

/// <summary>
/// One record read back from the buffer. <see cref="Payload"/> is backed by an array of its own that
/// the buffer never touches again: it stays valid for as long as the caller keeps it, across later
/// reads and acknowledgements.
/// </summary>
/// <param name="Stream">"metrics" or "events".</param>
/// <param name="Seq">The stream's sequence number.</param>
/// <param name="Payload">The record exactly as appended (a signed batch).</param>
/// <param name="AppendedAt">When the buffer stored it (its own clock, millisecond precision).</param>
public readonly record struct BufferedRecord(string Stream, long Seq, ReadOnlyMemory<byte> Payload, DateTimeOffset AppendedAt);
