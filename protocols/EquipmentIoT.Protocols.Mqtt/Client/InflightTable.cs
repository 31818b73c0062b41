namespace EquipmentIoT.Protocols.Mqtt.Client;

/// <summary>
/// Packet identifiers in use (2.3.1), keyed by id: QoS 1/2 publishes awaiting acknowledgement and
/// SUBSCRIBE/UNSUBSCRIBE requests awaiting theirs. Publishes are limited to a window; the oldest
/// order is kept so that redelivery after a reconnect goes out in the original order (4.6).
/// </summary>
internal sealed class InflightTable
{
    private readonly object _lock = new();
    private readonly object?[] _byId = new object?[65536];
    private readonly Stack<OutgoingMessage> _pool = new();
    private readonly int _window;
    private readonly bool _runContinuationsAsynchronously;
    private int _nextId = 1;
    private int _publishes;
    private int _used;
    private long _order;

    public InflightTable(int window, bool runContinuationsAsynchronously)
    {
        _window = window;
        _runContinuationsAsynchronously = runContinuationsAsynchronously;
    }

    /// <summary>Set whenever a window place frees up.</summary>
    public AsyncSignal WindowFreed { get; } = new();

    public int Count
    {
        get
        {
            lock (_lock) return _publishes;
        }
    }

    /// <summary>Takes a window place and an id, or returns null when the window is full.</summary>
    public OutgoingMessage? TryAdd(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain)
    {
        lock (_lock)
        {
            if (_publishes >= _window) return null;
            var m = _pool.Count > 0 ? _pool.Pop() : new OutgoingMessage(this, _runContinuationsAsynchronously);
            m.Initialise(topic, payload, qos, retain);
            m.PacketIdentifier = TakeId(m);
            m.Order = ++_order;
            _publishes++;
            return m;
        }
    }

    public ushort AddRequest(PendingRequest request)
    {
        lock (_lock) return TakeId(request);
    }

    public void RemoveRequest(ushort id, PendingRequest request)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_byId[id], request)) Free(id);
        }
    }

    public object? Get(ushort id)
    {
        lock (_lock) return _byId[id];
    }

    /// <summary>Removes an acknowledged publish; returns it, or null if that id is not an outgoing publish.</summary>
    public OutgoingMessage? RemovePublish(ushort id, OutgoingStage expected)
    {
        OutgoingMessage? m;
        lock (_lock)
        {
            m = _byId[id] as OutgoingMessage;
            if (m is null || m.Stage != expected) return null;
            Free(id);
            _publishes--;
        }
        if (WindowFreed.HasWaiters) WindowFreed.Set();
        return m;
    }

    /// <summary>Every unacknowledged publish, oldest first.</summary>
    public List<OutgoingMessage> SnapshotInOrder()
    {
        var list = new List<OutgoingMessage>();
        lock (_lock)
        {
            if (_publishes == 0) return list;
            foreach (var o in _byId)
                if (o is OutgoingMessage m) list.Add(m);
        }
        list.Sort(static (a, b) => a.Order.CompareTo(b.Order));
        return list;
    }

    /// <summary>Removes every publish and request (the client gave up or was disposed).</summary>
    public (List<OutgoingMessage> Publishes, List<PendingRequest> Requests) RemoveAll()
    {
        var publishes = new List<OutgoingMessage>();
        var requests = new List<PendingRequest>();
        lock (_lock)
        {
            for (var i = 1; i < _byId.Length; i++)
            {
                switch (_byId[i])
                {
                    case OutgoingMessage m: publishes.Add(m); break;
                    case PendingRequest r: requests.Add(r); break;
                    default: continue;
                }
                _byId[i] = null;
            }
            _publishes = 0;
            _used = 0;
        }
        WindowFreed.Set();
        return (publishes, requests);
    }

    /// <summary>The pending requests, for failing them when a connection drops.</summary>
    public List<PendingRequest> Requests()
    {
        var list = new List<PendingRequest>();
        lock (_lock)
        {
            if (_used == _publishes) return list;
            foreach (var o in _byId)
                if (o is PendingRequest r) list.Add(r);
        }
        return list;
    }

    internal void Return(OutgoingMessage m)
    {
        lock (_lock)
        {
            if (_pool.Count < _window) _pool.Push(m);
        }
    }

    private ushort TakeId(object o)
    {
        if (_used >= 65535) throw new InvalidOperationException("all 65535 packet identifiers are in use");
        while (_byId[_nextId] is not null) _nextId = _nextId == 65535 ? 1 : _nextId + 1;
        var id = (ushort)_nextId;
        _byId[id] = o;
        _used++;
        _nextId = _nextId == 65535 ? 1 : _nextId + 1;
        return id;
    }

    private void Free(ushort id)
    {
        _byId[id] = null;
        _used--;
    }
}
