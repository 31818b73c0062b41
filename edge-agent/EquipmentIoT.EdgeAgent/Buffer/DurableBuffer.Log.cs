using Microsoft.Extensions.Logging;

namespace EquipmentIoT.EdgeAgent.Buffer;

public sealed partial class DurableBuffer
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Buffer {Stream}: {Records} records recovered, last seq {LastSeq}, acknowledged up to {Watermark}")]
    private static partial void LogRecovered(ILogger logger, string stream, long records, long lastSeq, long watermark);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Buffer {Stream} repaired at open: {Records} records kept, {BytesCut} bytes cut, seq lost {LostRanges}, {Skipped} records skipped, files {Files}: {Problems}")]
    private static partial void LogRecoveryRepaired(ILogger logger, string stream, long records, long bytesCut, string lostRanges, long skipped, string files, string problems);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot store {Stream} records {From}..{To}: {Reason} ({Detail}); the files are as before, the records must be appended again")]
    private static partial void LogWriteFailed(ILogger logger, string stream, long from, long to, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Buffer {Stream}: could not cut {File} back to {Length} bytes after a failed write: {Detail}")]
    private static partial void LogUndoFailed(ILogger logger, string stream, string file, long length, string detail);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Buffer writer failed unexpectedly; the records it held were not stored")]
    private static partial void LogWriterFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Buffer over its bound of {MaxBytes} bytes: {Stream} record {Seq} stored anyway (events are never dropped); {OverCapacityBytes} bytes over so far")]
    private static partial void LogOverCapacity(ILogger logger, long maxBytes, string stream, long seq, long overCapacityBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Buffer full: {Segments} acknowledged segments ({Batches} batches, {Bytes} bytes) deleted before their retention ended to make room")]
    private static partial void LogEvicted(ILogger logger, int segments, long batches, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Buffer: {Segments} acknowledged segments ({Batches} batches) older than {Retention} deleted")]
    private static partial void LogExpired(ILogger logger, int segments, long batches, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Buffer {Stream}: cannot write the ack file ({Detail}); retried, records may be sent again after a restart")]
    private static partial void LogAckWriteFailed(ILogger logger, string stream, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Buffer: cannot delete segment {File}: {Detail}")]
    private static partial void LogDeleteFailed(ILogger logger, string file, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Buffer {Stream}: record {Seq} fails its checksum on read; skipped")]
    private static partial void LogCorruptOnRead(ILogger logger, string stream, long seq);
}
