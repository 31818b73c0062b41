using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using EquipmentIoT.EdgeAgent.Adapters.Mpps;
using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.EdgeAgent.Privacy;
using EquipmentIoT.Protocols.Telemetry.Model;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace EquipmentIoT.IntegrationTests.Dicom;

/// <summary>
/// The agent's MPPS adapter listening on a free loopback port, its events scrubbed by a
/// <see cref="PhiScrubber"/> built as the host builds it (default policy, a random site secret) before
/// they are recorded, as the agent's sink does before buffering.
/// </summary>
internal sealed class MppsListenerFixture : IAsyncDisposable
{
    public const string AeTitle = "EQIOT";

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private MppsListenerFixture(MppsAdapter adapter, ScrubbingSink sink)
    {
        Adapter = adapter;
        Sink = sink;
        _run = Task.Run(() => adapter.RunAsync(sink, _stop.Token));
    }

    public MppsAdapter Adapter { get; }

    public ScrubbingSink Sink { get; }

    public int Port => Adapter.LocalEndPoint!.Port;

    public static async Task<MppsListenerFixture> StartAsync(Action<MppsListenerOptions>? configure = null)
    {
        var options = new MppsListenerOptions
        {
            Port = 0,
            AeTitle = AeTitle,
            TimeZone = "Asia/Shanghai",
            ArtimTimeout = TimeSpan.FromSeconds(2),
            IdleTimeout = TimeSpan.FromSeconds(5),
            MaxAssociations = 4,
            Devices =
            [
                new MppsDeviceBinding { DeviceId = "ct-1", CallingAeTitle = "CT01" },
                new MppsDeviceBinding { DeviceId = "mr-1", CallingAeTitle = "MR01" },
                new MppsDeviceBinding { DeviceId = "echo", CallingAeTitle = "ECHOSCU" },
            ],
        };
        configure?.Invoke(options);
        var profiles = new Dictionary<string, MppsProfile>
        {
            ["ct-1"] = new() { Modality = "CT", Attributes = ["PatientAge", "PatientSex", "AccessionNumber"] },
            ["mr-1"] = new() { Modality = "MR" },
        };
        var scrubber = new PhiScrubber(PhiPolicy.Default, new PhiSiteSecret(RandomNumberGenerator.GetBytes(32)));
        var fixture = new MppsListenerFixture(new MppsAdapter(options, profiles, SystemClock.Instance, TimeProvider.System, NullLoggerFactory.Instance),
            new ScrubbingSink(scrubber));
        await Wait.UntilAsync(() => fixture.Adapter.LocalEndPoint is not null || fixture._run.IsCompleted, TimeSpan.FromSeconds(10), "the MPPS listener to bind");
        if (fixture._run.IsFaulted) await fixture._run;
        return fixture;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (OperationCanceledException)
        {
            // Stopped as asked.
        }

        _stop.Dispose();
    }

    /// <summary>Records events after scrubbing them, like the agent's sink.</summary>
    internal sealed class ScrubbingSink(PhiScrubber scrubber) : ITelemetrySink
    {
        private readonly ConcurrentQueue<TelemetryEvent> _events = new();

        public IReadOnlyList<TelemetryEvent> Events => [.. _events];

        public PhiScrubber Scrubber => scrubber;

        public void AddMetric(in MetricPoint point)
        {
        }

        public void AddEvent(TelemetryEvent telemetryEvent) => _events.Enqueue(scrubber.Scrub(telemetryEvent));

        public Task<TelemetryEvent> WaitForAsync(string type, Func<TelemetryEvent, bool>? match = null) => WaitForAsync(type, 1, match).ContinueWith(t => t.Result[0], TaskScheduler.Default);

        public async Task<IReadOnlyList<TelemetryEvent>> WaitForAsync(string type, int count, Func<TelemetryEvent, bool>? match = null)
        {
            IReadOnlyList<TelemetryEvent> found = [];
            await Wait.UntilAsync(() => (found = Events.Where(e => e.Type == type && (match is null || match(e))).ToList()).Count >= count,
                TimeSpan.FromSeconds(30), $"{count} {type} event(s)");
            return found;
        }
    }
}

/// <summary>Raw loopback TCP for the malformed-PDU corpus.</summary>
internal static class Loopback
{
    public static IPEndPoint EndPoint(int port) => new(IPAddress.Loopback, port);
}
