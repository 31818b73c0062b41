namespace EquipmentIoT.EdgeAgent.Buffer;

/// <summary>A snapshot of the buffer for the health record and the benchmark.</summary>
/// <param name="Streams">Per stream figures.</param>
/// <param name="UsedBytes">Bytes of segment files of both streams (plus records queued for the disk).</param>
/// <param name="MaxBytes">The configured bound.</param>
/// <param name="CriticalReserveBytes">The part of the bound only events may use.</param>
/// <param name="Pressure">As <see cref="DurableBuffer.Pressure"/>.</param>
/// <param name="EvictedAcknowledgedBatches">Acknowledged records deleted before their retention ended, to make room.</param>
/// <param name="EvictedAcknowledgedBytes">Bytes of those segments.</param>
/// <param name="ExpiredAcknowledgedBatches">Acknowledged records deleted because their retention ended.</param>
/// <param name="RefusedBatches">Metrics records refused because the buffer was full.</param>
/// <param name="RefusedBytes">Payload bytes of those.</param>
/// <param name="OverCapacityBytes">Bytes of events records stored beyond <see cref="MaxBytes"/>.</param>
/// <param name="Fsyncs">fsync calls made (segment files and directories) since open.</param>
/// <param name="CorruptRecordsSkipped">Records that failed their checksum when read back after open, skipped.</param>
/// <param name="Recovery">What opening the buffer found.</param>
public sealed record BufferStatistics(
    IReadOnlyList<StreamStatistics> Streams,
    long UsedBytes,
    long MaxBytes,
    long CriticalReserveBytes,
    BufferPressure Pressure,
    long EvictedAcknowledgedBatches,
    long EvictedAcknowledgedBytes,
    long ExpiredAcknowledgedBatches,
    long RefusedBatches,
    long RefusedBytes,
    long OverCapacityBytes,
    long Fsyncs,
    long CorruptRecordsSkipped,
    RecoveryReport Recovery)
{
    /// <summary>The figures of one stream.</summary>
    public StreamStatistics For(string stream) => Streams.Single(s => s.Stream == stream);
}

/// <summary>Figures of one stream.</summary>
/// <param name="Stream">"metrics" or "events".</param>
/// <param name="Class">Bulk or Critical.</param>
/// <param name="LastSeq">Seq of the newest stored record (0 when none ever was).</param>
/// <param name="AcknowledgedSeq">The watermark: every seq up to it is acknowledged.</param>
/// <param name="UnsentBatches">Records after the send cursor (not yet handed out by ReadNextUnsent).</param>
/// <param name="UnsentBytes">Payload bytes of those.</param>
/// <param name="UnacknowledgedBatches">Records above the watermark not acknowledged yet (sent or not).</param>
/// <param name="OldestUnsentAppendedAt">When the oldest unsent record was stored (second precision); null when none.</param>
/// <param name="UsedBytes">Bytes of the stream's segment files.</param>
/// <param name="Segments">Number of segment files.</param>
/// <param name="UnacknowledgedBytes">Payload bytes of every record above the watermark (sent or not; acknowledged-above-the-watermark ones included).</param>
/// <param name="OldestUnacknowledgedAppendedAt">When the first record above the watermark was stored; null when none.</param>
public sealed record StreamStatistics(
    string Stream,
    BufferStreamClass Class,
    long LastSeq,
    long AcknowledgedSeq,
    long UnsentBatches,
    long UnsentBytes,
    long UnacknowledgedBatches,
    DateTimeOffset? OldestUnsentAppendedAt,
    long UsedBytes,
    int Segments,
    long UnacknowledgedBytes,
    DateTimeOffset? OldestUnacknowledgedAppendedAt);
