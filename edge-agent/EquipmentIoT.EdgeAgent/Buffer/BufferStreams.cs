namespace EquipmentIoT.EdgeAgent.Buffer;

/// <summary>How the buffer treats a stream when it runs out of room.</summary>
public enum BufferStreamClass
{
    /// <summary>May be refused when the buffer is full of unsent data (metrics).</summary>
    Bulk,

    /// <summary>Never refused: may use the critical reserve and, beyond it, go over the bound (events).</summary>
    Critical,
}

/// <summary>The two streams the buffer stores, each with its own sequence numbers, cursor and directory.</summary>
public static class BufferStreams
{
    /// <summary>Bulk readings (class <see cref="BufferStreamClass.Bulk"/>).</summary>
    public const string Metrics = "metrics";

    /// <summary>Events, alarms and build records (class <see cref="BufferStreamClass.Critical"/>).</summary>
    public const string Events = "events";

    /// <summary>Both stream names.</summary>
    public static IReadOnlyList<string> All { get; } = [Metrics, Events];

    /// <summary>The class of <paramref name="stream"/>.</summary>
    /// <exception cref="ArgumentException">Not "metrics" or "events".</exception>
    public static BufferStreamClass ClassOf(string stream) => stream switch
    {
        Metrics => BufferStreamClass.Bulk,
        Events => BufferStreamClass.Critical,
        _ => throw new ArgumentException($"unknown buffer stream '{stream}' (expected \"{Metrics}\" or \"{Events}\")", nameof(stream)),
    };
}
