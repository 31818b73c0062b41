namespace EquipmentIoT.EdgeAgent.Buffer;

/// <summary>Where the buffer lives and how big it may grow. Checked by <see cref="Validate"/> when the buffer opens.</summary>
public sealed class BufferOptions
{
    /// <summary>The buffer's directory; one sub-directory per stream is created in it.</summary>
    public string Directory { get; set; } = "";

    /// <summary>Upper bound of the segment files of both streams together (default 1 GiB).</summary>
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>A segment file is rolled when the next record would take it past this size (default 16 MiB).</summary>
    public long SegmentBytes { get; set; } = 16L << 20;

    /// <summary>Fully acknowledged segments whose newest record is older than this are deleted (default 7 days).</summary>
    public TimeSpan AcknowledgedRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Fraction of <see cref="MaxBytes"/> from which <see cref="DurableBuffer.Pressure"/> says Thinning (default 0.8).</summary>
    public double ThinningThreshold { get; set; } = 0.8;

    /// <summary>The part of <see cref="MaxBytes"/> only the events stream may use; null means 5 % of <see cref="MaxBytes"/>.</summary>
    public long? CriticalReserveBytes { get; set; }

    /// <summary>How often acknowledgements are written to the ack files and retention is applied (default 200 ms).</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Most payload bytes one <see cref="DurableBuffer.ReadRangeAsync"/> returns (default 64 MiB).</summary>
    public long MaxRangeReadBytes { get; set; } = 64L << 20;

    internal long EffectiveCriticalReserve => CriticalReserveBytes ?? MaxBytes / 20;

    /// <summary>Throws when a value is out of range, naming the option.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory)) throw new ArgumentException("Buffer Directory must be set", nameof(Directory));
        Require(MaxBytes >= 4096, nameof(MaxBytes), "must be at least 4096");
        Require(SegmentBytes is >= 1024 and <= 1L << 30, nameof(SegmentBytes), "must be from 1 KiB to 1 GiB");
        Require(AcknowledgedRetention >= TimeSpan.Zero, nameof(AcknowledgedRetention), "must not be negative");
        Require(ThinningThreshold is > 0 and <= 1, nameof(ThinningThreshold), "must be in (0, 1]");
        Require(EffectiveCriticalReserve >= 0 && EffectiveCriticalReserve < MaxBytes, nameof(CriticalReserveBytes), "must be from 0 to less than MaxBytes");
        Require(MaintenanceInterval > TimeSpan.Zero, nameof(MaintenanceInterval), "must be positive");
        Require(MaxRangeReadBytes >= RecordFormat.MaxPayloadBytes, nameof(MaxRangeReadBytes), "must be at least 1 MiB");
    }

    private static void Require(bool ok, string name, string what)
    {
        if (!ok) throw new ArgumentException($"Buffer {name} {what}", name);
    }
}
