using System.Runtime.CompilerServices;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>A series by its names.</summary>
internal readonly record struct SeriesKey(string Device, string Metric);

/// <summary>
/// The series writer's memory of one series, kept across transactions under the write lock: its id once the
/// transaction that created (or first found) it committed, and the points of the batch being written.
/// </summary>
internal sealed class SeriesSlot(SeriesKey key)
{
    public SeriesKey Key { get; } = key;

    /// <summary>The committed id, or 0.</summary>
    public long Id { get; set; }

    /// <summary>An id learnt in the open transaction: it becomes <see cref="Id"/> when that commits, and is forgotten if it fails.</summary>
    public long PendingId { get; set; }

    public List<ChunkPoint> Points { get; } = [];

    /// <summary>The unit of the last point added.</summary>
    public string? Unit { get; set; }
}

/// <summary>Two strings compared and hashed by reference (a batch read by TelemetryBatchReader names each device and metric with one instance).</summary>
internal readonly struct InstancePair(string device, string name) : IEquatable<InstancePair>
{
    private readonly string _device = device;
    private readonly string _name = name;

    public bool Equals(InstancePair other) => ReferenceEquals(_device, other._device) && ReferenceEquals(_name, other._name);

    public override bool Equals(object? obj) => obj is InstancePair other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(_device), RuntimeHelpers.GetHashCode(_name));
}
