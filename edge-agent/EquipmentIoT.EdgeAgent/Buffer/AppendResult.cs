namespace EquipmentIoT.EdgeAgent.Buffer;

/// <summary>
/// What <see cref="DurableBuffer.AppendAsync"/> did with a record. A refusal is a result, not an
/// exception: it is the expected outcome under pressure, counted in <see cref="BufferStatistics.RefusedBatches"/>.
/// A refused record is not stored and its seq is not used: the next append of the stream takes the same seq.
/// </summary>
public enum AppendResult
{
    /// <summary>Written and fsynced within the bound (an events record may have used the critical reserve).</summary>
    Stored,

    /// <summary>An events record written and fsynced although the buffer is over its bound (counted and logged as an error).</summary>
    StoredOverCapacity,

    /// <summary>A metrics record not stored: no room without evicting unsent data.</summary>
    Refused,
}
