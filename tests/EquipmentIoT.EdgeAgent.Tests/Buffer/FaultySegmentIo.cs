using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Buffer;
using Microsoft.Win32.SafeHandles;

namespace EquipmentIoT.EdgeAgent.Tests.Buffer;

/// <summary>
/// The buffer's disk seam with faults on demand: a write that stops half way with ENOSPC (as a full
/// disk does), an fsync that fails, and a gate that holds the next fsync until the test releases it.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class FaultySegmentIo : SegmentFileIo, IDisposable
{
    private readonly object _gate = new();
    private int? _failWriteAfterBytes;
    private bool _failNextFlush;
    private TaskCompletionSource? _flushGate;

    public int Writes { get; private set; }

    public int Flushes { get; private set; }

    /// <summary>Set when a gated flush is waiting.</summary>
    public SemaphoreSlim FlushEntered { get; } = new(0);

    /// <summary>The next write puts <paramref name="bytes"/> bytes on disk, then fails like a full disk.</summary>
    public void FailNextWriteAfter(int bytes)
    {
        lock (_gate) _failWriteAfterBytes = bytes;
    }

    public void FailNextFlush()
    {
        lock (_gate) _failNextFlush = true;
    }

    /// <summary>The next flush blocks until <see cref="ReleaseFlush"/>.</summary>
    public void HoldNextFlush()
    {
        lock (_gate) _flushGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void ReleaseFlush(bool fail = false)
    {
        TaskCompletionSource? gate;
        lock (_gate)
        {
            gate = _flushGate;
            _flushGate = null;
            if (fail) _failNextFlush = true;
        }

        gate?.TrySetResult();
    }

    public override void Write(SafeFileHandle file, IReadOnlyList<ReadOnlyMemory<byte>> buffers, long offset)
    {
        int? failAfter;
        lock (_gate)
        {
            Writes++;
            failAfter = _failWriteAfterBytes;
            _failWriteAfterBytes = null;
        }

        if (failAfter is not { } limit)
        {
            base.Write(file, buffers, offset);
            return;
        }

        var all = buffers.SelectMany(b => b.ToArray()).ToArray();
        RandomAccess.Write(file, all.AsSpan(0, Math.Min(limit, all.Length)), offset);
        throw new IOException("No space left on device", 28);
    }

    public override void Flush(FileStream file)
    {
        TaskCompletionSource? gate;
        lock (_gate)
        {
            Flushes++;
            gate = _flushGate;
        }

        if (gate is not null)
        {
            FlushEntered.Release();
            // The writer thread is ours to block: this is the fsync taking a long time.
            if (!gate.Task.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException("the test never released the held fsync");
        }

        bool fail;
        lock (_gate)
        {
            fail = _failNextFlush;
            _failNextFlush = false;
        }

        if (fail) throw new IOException("Input/output error", 5);
        base.Flush(file);
    }

    public void Dispose() => FlushEntered.Dispose();
}
