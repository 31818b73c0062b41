using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Collection;

namespace EquipmentIoT.EdgeAgent.Tests.Collection;

/// <summary>
/// An adapter whose every run does what the test says (<see cref="Behaviour"/>, given the attempt number):
/// throw, run until cancelled, or return. Counts starts and says whether a run is in progress.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class FakeAdapter(string device, string adapter = "synthetic") : IDeviceAdapter
{
    private int _starts;
    private int _running;

    public string Device => device;

    public AdapterStatus Status { get; set; } = new(device, adapter, AdapterState.Starting, null);

    /// <summary>What run number n does; by default it runs, reporting Ok, until cancelled.</summary>
    public Func<int, ITelemetrySink, CancellationToken, Task> Behaviour { get; set; } = (_, _, _) => Task.CompletedTask;

    public int Starts => Volatile.Read(ref _starts);

    public bool Running => Volatile.Read(ref _running) == 1;

    public static FakeAdapter RunningUntilCancelled(string device)
    {
        var fake = new FakeAdapter(device);
        fake.Behaviour = (_, _, ct) => fake.RunUntilCancelledAsync(ct);
        return fake;
    }

    public async Task RunAsync(ITelemetrySink sink, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _starts);
        await Behaviour(attempt, sink, cancellationToken);
    }

    /// <summary>Reports Ok and waits for cancellation, as a healthy adapter does.</summary>
    public async Task RunUntilCancelledAsync(CancellationToken cancellationToken)
    {
        Status = Status with { State = AdapterState.Ok, LastError = null };
        Volatile.Write(ref _running, 1);
        try
        {
            await new TaskCompletionSource().Task.WaitAsync(cancellationToken);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }
}
