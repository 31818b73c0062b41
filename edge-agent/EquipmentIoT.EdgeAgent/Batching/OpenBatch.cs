using System.Threading.Channels;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Batching;

/// <summary>
/// The batch being filled on one stream. Adding takes a short lock and never waits; a full or old
/// batch is handed to the sealer through <see cref="Closed"/>. For the metrics stream that channel is
/// bounded and a batch that does not fit is dropped and counted (the disk is not keeping up); for the
/// events stream it is unbounded, because events are never dropped.
/// </summary>
internal sealed class OpenBatch<T>
{
    private readonly Lock _lock = new();
    private readonly int _maxItems;
    private readonly Action<int>? _onDropped;
    private List<T> _items;
    private Instant _openedAt;

    public OpenBatch(int maxItems, int? pendingBound, Action<int>? onDropped)
    {
        _maxItems = maxItems;
        _onDropped = onDropped;
        _items = new List<T>(Math.Min(maxItems, 1024));
        Closed = pendingBound is { } bound
            ? Channel.CreateBounded<List<T>>(new BoundedChannelOptions(bound) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait })
            : Channel.CreateUnbounded<List<T>>(new UnboundedChannelOptions { SingleReader = true });
    }

    /// <summary>Closed batches, in order, for the sealer.</summary>
    public Channel<List<T>> Closed { get; }

    /// <summary>Items in the batch being filled.</summary>
    public int Count
    {
        get
        {
            lock (_lock) return _items.Count;
        }
    }

    public void Add(T item, Instant now)
    {
        List<T>? full = null;
        lock (_lock)
        {
            if (_items.Count == 0) _openedAt = now;
            _items.Add(item);
            if (_items.Count >= _maxItems) full = Swap();
            if (full is not null) Hand(full);
        }
    }

    /// <summary>Closes the batch if it holds anything and was opened at least <paramref name="maxAge"/> ago (or always when null).</summary>
    public void CloseIfDue(Instant now, Duration? maxAge)
    {
        lock (_lock)
        {
            if (_items.Count == 0) return;
            if (maxAge is { } age && now - _openedAt < age) return;
            Hand(Swap());
        }
    }

    /// <summary>No more batches: closes what is open and completes the channel.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            if (_items.Count > 0) Hand(Swap());
            Closed.Writer.TryComplete();
        }
    }

    private List<T> Swap()
    {
        var full = _items;
        _items = new List<T>(Math.Min(_maxItems, Math.Max(16, full.Count)));
        return full;
    }

    // Called under the lock so batches enter the channel in the order they were closed.
    private void Hand(List<T> batch)
    {
        if (!Closed.Writer.TryWrite(batch)) _onDropped?.Invoke(batch.Count);
    }
}
