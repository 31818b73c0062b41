using System.Runtime.Versioning;
using System.Security.Cryptography;
using EquipmentIoT.EdgeAgent.Adapters.Mpps;
using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.EdgeAgent.Privacy;
using EquipmentIoT.Protocols.Telemetry.Model;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace EquipmentIoT.Bench.Mpps;

/// <summary>
/// The agent's <see cref="MppsAdapter"/> listening on a free loopback port, bound to one CT (calling AE CT01)
/// and to echoscu's AE, its events scrubbed by a <see cref="PhiScrubber"/> (default policy) and counted.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class BenchMppsListener : IAsyncDisposable
{
    public const string AeTitle = "EQIOT";
    public const string CtAeTitle = "CT01";
    public const string EchoAeTitle = "ECHOSCU";

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private BenchMppsListener(MppsAdapter adapter)
    {
        Adapter = adapter;
        _run = Task.Run(() => adapter.RunAsync(Sink, _stop.Token));
    }

    public MppsAdapter Adapter { get; }

    public CountingSink Sink { get; } = new(new PhiScrubber(PhiPolicy.Default, new PhiSiteSecret(RandomNumberGenerator.GetBytes(32))));

    public int Port => Adapter.LocalEndPoint!.Port;

    public static async Task<BenchMppsListener> StartAsync(int maxAssociations, int maxInstances, CancellationToken cancellationToken)
    {
        var options = new MppsListenerOptions
        {
            Port = 0,
            AeTitle = AeTitle,
            MaxAssociations = maxAssociations,
            MaxInstances = maxInstances,
            Devices =
            [
                new MppsDeviceBinding { DeviceId = "ct-1", CallingAeTitle = CtAeTitle },
                new MppsDeviceBinding { DeviceId = "echo", CallingAeTitle = EchoAeTitle },
            ],
        };
        var profiles = new Dictionary<string, MppsProfile> { ["ct-1"] = new() { Modality = "CT", Attributes = ["AccessionNumber"] } };
        var listener = new BenchMppsListener(new MppsAdapter(options, profiles, SystemClock.Instance, TimeProvider.System, NullLoggerFactory.Instance));
        await Wait.UntilAsync(() => listener.Adapter.LocalEndPoint is not null || listener._run.IsCompleted, TimeSpan.FromSeconds(10),
            "the MPPS listener to bind", cancellationToken).ConfigureAwait(false);
        if (listener._run.IsFaulted) await listener._run.ConfigureAwait(false);
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped as asked.
        }

        _stop.Dispose();
    }

    /// <summary>Scrubs each event as the agent's sink does before buffering, then counts completed exams.</summary>
    internal sealed class CountingSink(PhiScrubber scrubber) : ITelemetrySink
    {
        private long _completed;
        private long _events;

        public long Completed => Interlocked.Read(ref _completed);

        public long Events => Interlocked.Read(ref _events);

        public void AddMetric(in MetricPoint point)
        {
        }

        public void AddEvent(TelemetryEvent telemetryEvent)
        {
            var scrubbed = scrubber.Scrub(telemetryEvent);
            Interlocked.Increment(ref _events);
            if (scrubbed.Type == EventTypes.ExamCompleted) Interlocked.Increment(ref _completed);
        }
    }
}
