namespace EquipmentIoT.Protocols.Dicom.Association;

/// <summary>
/// At most <paramref name="perMinute"/> log lines a minute for what a peer can cause at will (broken PDUs,
/// rejected associations, timeouts): beyond that they are counted, not written, and the count is reported
/// with the next line that is written.
/// </summary>
internal sealed class LogBudget(int perMinute, TimeProvider time)
{
    private readonly Lock _gate = new();
    private long _windowStart = time.GetTimestamp();
    private int _used;
    private long _suppressed;

    /// <summary>True when a line may be written; <paramref name="suppressed"/> is how many were dropped before it.</summary>
    public bool TryTake(out long suppressed)
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (time.GetElapsedTime(_windowStart, now) >= TimeSpan.FromMinutes(1))
            {
                _windowStart = now;
                _used = 0;
            }

            if (_used < perMinute)
            {
                _used++;
                suppressed = _suppressed;
                _suppressed = 0;
                return true;
            }

            _suppressed++;
            suppressed = 0;
            return false;
        }
    }
}
