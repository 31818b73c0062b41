using EquipmentIoT.Protocols.Dicom.Data;

namespace EquipmentIoT.Protocols.Dicom.Services;

/// <summary>
/// The performed procedure steps an MPPS SCP knows: bounded (the oldest is evicted when full) and with a
/// time to live (a step not updated for that long is forgotten, so a modality that never sends its final
/// N-SET cannot fill the table). Finished steps are kept until they expire, so that a late N-SET is
/// answered "may no longer be updated" rather than "no such instance". Thread-safe.
/// </summary>
public sealed class MppsInstanceTable(int capacity, TimeSpan timeToLive, TimeProvider time)
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _evicted;

    /// <summary>Steps held now.</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _entries.Count;
        }
    }

    /// <summary>Steps dropped because the table was full.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    /// <summary>Adds a new step; false when one with this UID is already held.</summary>
    public bool TryAdd(string sopInstanceUid, string status, DicomDataset attributes)
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            RemoveExpired(now);
            if (_entries.ContainsKey(sopInstanceUid)) return false;
            if (_entries.Count >= capacity)
            {
                var oldest = _entries.MinBy(e => e.Value.Touched).Key;
                _entries.Remove(oldest);
                Interlocked.Increment(ref _evicted);
            }

            _entries[sopInstanceUid] = new Entry(status, attributes, now);
            return true;
        }
    }

    /// <summary>The step's status and attributes, when held and not expired.</summary>
    public bool TryGet(string sopInstanceUid, out string status, out DicomDataset attributes)
    {
        lock (_gate)
        {
            RemoveExpired(time.GetTimestamp());
            if (_entries.TryGetValue(sopInstanceUid, out var entry))
            {
                (status, attributes) = (entry.Status, entry.Attributes);
                return true;
            }
        }

        (status, attributes) = ("", new DicomDataset());
        return false;
    }

    /// <summary>
    /// Replaces a held step's status and attributes if they are still <paramref name="expected"/> (the
    /// instance <see cref="TryGet"/> returned): two N-SETs racing on one step cannot both pass the state rules.
    /// </summary>
    public bool TryUpdate(string sopInstanceUid, DicomDataset expected, string status, DicomDataset attributes)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(sopInstanceUid, out var entry) || !ReferenceEquals(entry.Attributes, expected)) return false;
            _entries[sopInstanceUid] = new Entry(status, attributes, time.GetTimestamp());
            return true;
        }
    }

    private void RemoveExpired(long now)
    {
        List<string>? expired = null;
        foreach (var (uid, entry) in _entries)
        {
            if (time.GetElapsedTime(entry.Touched, now) > timeToLive) (expired ??= []).Add(uid);
        }

        if (expired is null) return;
        foreach (var uid in expired) _entries.Remove(uid);
    }

    private sealed record Entry(string Status, DicomDataset Attributes, long Touched);
}
