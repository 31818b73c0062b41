namespace EquipmentIoT.EdgeAgent.Buffer;

/// <summary>A record accepted for the disk, waiting for the writer thread; the caller awaits <see cref="Completion"/>.</summary>
internal sealed class PendingAppend(StreamState stream, long seq, ReadOnlyMemory<byte> payload, long epoch, AppendResult result)
{
    public StreamState Stream { get; } = stream;

    public long Seq { get; } = seq;

    /// <summary>The caller's memory: read by the writer until <see cref="Completion"/> completes, never after.</summary>
    public ReadOnlyMemory<byte> Payload { get; } = payload;

    public long Epoch { get; } = epoch;

    /// <summary>Stored or StoredOverCapacity, decided at admission.</summary>
    public AppendResult Result { get; } = result;

    public long Size => RecordFormat.RecordSize(Payload.Length);

    public TaskCompletionSource<AppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
