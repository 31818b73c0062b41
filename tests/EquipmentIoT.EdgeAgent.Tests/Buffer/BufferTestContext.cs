using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Buffer;

namespace EquipmentIoT.EdgeAgent.Tests.Buffer;

/// <summary>
/// A temporary buffer directory, a manual clock and a logger for one test; deletes the directory and
/// disposes every buffer it opened. Small sizes keep the files readable: 100-byte payloads are 128-byte
/// records, 1 KiB segments hold 8 of them.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class BufferTestContext : IAsyncDisposable
{
    private readonly List<DurableBuffer> _opened = [];

    public BufferTestContext()
    {
        Root = Path.Combine(Path.GetTempPath(), "eqiot-buffer-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string BufferDirectory => Path.Combine(Root, "buffer");

    public ManualTimeProvider Time { get; } = new(ManualTimeProvider.DefaultStart);

    public ListLogger<DurableBuffer> Log { get; } = new();

    public BufferOptions Options(long segmentBytes = 1024, long maxBytes = 1L << 30, long? reserve = null, double threshold = 0.8, string? directory = null) => new()
    {
        Directory = directory ?? BufferDirectory,
        SegmentBytes = segmentBytes,
        MaxBytes = maxBytes,
        CriticalReserveBytes = reserve,
        ThinningThreshold = threshold,
        MaintenanceInterval = TimeSpan.FromHours(1),
    };

    public DurableBuffer Open(BufferOptions? options = null, SegmentFileIo? io = null)
    {
        var buffer = DurableBuffer.Open(options ?? Options(), Time, Log, io ?? SegmentFileIo.Default);
        _opened.Add(buffer);
        return buffer;
    }

    public string StreamDirectory(string stream, string? root = null) => Path.Combine(root ?? BufferDirectory, stream);

    public string[] SegmentFiles(string stream, string? root = null) =>
        [.. Directory.GetFiles(StreamDirectory(stream, root), "*.seg").Order(StringComparer.Ordinal)];

    public static async Task AppendRangeAsync(DurableBuffer buffer, string stream, long from, long to)
    {
        for (var seq = from; seq <= to; seq++)
            Assert.Equal(AppendResult.Stored, await buffer.AppendAsync(stream, seq, TestRecords.Payload(seq), CancellationToken.None));
    }

    public static List<long> DrainSeqs(DurableBuffer buffer, string stream)
    {
        var seqs = new List<long>();
        while (buffer.TryReadNextUnsent(stream, out var record))
        {
            Assert.Equal(TestRecords.Payload(record.Seq), record.Payload.ToArray());
            seqs.Add(record.Seq);
        }

        return seqs;
    }

    public static List<long> Seqs(long from, long to) => [.. Enumerable.Range(0, checked((int)(to - from + 1))).Select(i => from + i)];

    public async ValueTask DisposeAsync()
    {
        foreach (var buffer in _opened) await buffer.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
