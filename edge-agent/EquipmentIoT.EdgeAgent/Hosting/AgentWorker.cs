using EquipmentIoT.EdgeAgent.Batching;
using EquipmentIoT.EdgeAgent.Buffer;
using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.EdgeAgent.Configuration;
using EquipmentIoT.EdgeAgent.Health;
using EquipmentIoT.EdgeAgent.Publishing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EquipmentIoT.EdgeAgent.Hosting;

/// <summary>
/// The agent's life: connect (in the background, forever), forward the buffer, run the adapters into the
/// pipeline, publish health; on shutdown stop the adapters, put everything collected on disk, give the
/// forwarder a moment to drain, say "offline" and disconnect.
/// </summary>
public sealed partial class AgentWorker : BackgroundService
{
    private readonly AgentOptions _options;
    private readonly DurableBuffer _buffer;
    private readonly TelemetryPipeline _pipeline;
    private readonly AdapterSupervisor _adapters;
    private readonly ITelemetryTransport _transport;
    private readonly Forwarder _forwarder;
    private readonly CommandDispatcher _commands;
    private readonly HealthReporter _health;
    private readonly SystemdNotifier _systemd;
    private readonly TimeProvider _time;
    private readonly ILogger<AgentWorker> _logger;

    /// <summary>Created by the host.</summary>
    public AgentWorker(IOptions<AgentOptions> options, DurableBuffer buffer, TelemetryPipeline pipeline, AdapterSupervisor adapters,
        ITelemetryTransport transport, Forwarder forwarder, CommandDispatcher commands, HealthReporter health, SystemdNotifier systemd,
        TimeProvider time, ILogger<AgentWorker> logger)
    {
        _options = options.Value;
        _buffer = buffer;
        _pipeline = pipeline;
        _adapters = adapters;
        _transport = transport;
        _forwarder = forwarder;
        _commands = commands;
        _health = health;
        _systemd = systemd;
        _time = time;
        _logger = logger;
    }

    /// <summary>How long shutdown waits for open batches to be signed and stored (longer only when the key or disk is failing).</summary>
    public static TimeSpan SealOnShutdown { get; } = TimeSpan.FromSeconds(10);

    /// <summary>How long shutdown waits for the backlog to reach the broker before leaving it on disk.</summary>
    public static TimeSpan DrainOnShutdown { get; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dataDirectory = _options.Resolve(".");
        LogStarting(_logger, _options.Id, AgentVersion.Text, dataDirectory, _transport.Name, _options.Devices.Count);
        using var background = new CancellationTokenSource();
        using var adaptersStop = new CancellationTokenSource();
        _transport.CommandReceived = _commands.HandleAsync;
        _health.Attach(_transport, _adapters);
        _transport.Connected += (_, _) => _health.PublishSoon();

        _pipeline.ReportRecovery(_buffer.Recovery);
        var connecting = _transport.ConnectAsync(background.Token);
        var forwarding = _forwarder.RunAsync(background.Token);
        var health = _health.RunAsync(background.Token);
        using var abandon = new CancellationTokenSource();
        var pipeline = _pipeline.RunAsync(stoppingToken, abandon.Token);
        var adapters = _adapters.RunAsync(_pipeline, adaptersStop.Token);
        var watchdog = WatchdogAsync(background.Token);
        _systemd.Notify("READY=1\nSTATUS=collecting");

        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }

        _systemd.Notify("STOPPING=1\nSTATUS=flushing to disk");
        LogStopping(_logger);
        await adaptersStop.CancelAsync().ConfigureAwait(false);
        await adapters.ConfigureAwait(false);
        // Sealing needs the key and the disk; if either is missing at shutdown, do not hang: what is not
        // on disk after this is lost, and said so.
        abandon.CancelAfter(SealOnShutdown);
        try
        {
            await pipeline.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            LogSealingAbandoned(_logger, SealOnShutdown);
        }

        var unsent = await DrainAsync().ConfigureAwait(false);

        await background.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(Quietly(connecting), Quietly(forwarding), Quietly(health), Quietly(watchdog)).ConfigureAwait(false);
        using (var bye = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time))
        {
            try
            {
                await _transport.DisconnectAsync(_health.Build("offline"), bye.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or Protocols.Mqtt.MqttCommunicationException)
            {
                LogDisconnectFailed(_logger, e.Message);
            }
        }

        LogStopped(_logger, unsent);
    }

    // Gives the forwarder a few seconds to empty the buffer; whatever is left stays on disk for next time.
    private async Task<long> DrainAsync()
    {
        var deadline = _time.GetUtcNow() + DrainOnShutdown;
        while (_transport.IsConnected && Unsent() > 0 && _time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _time).ConfigureAwait(false);
        }

        return Unsent();
    }

    private long Unsent()
    {
        var s = _buffer.GetStatistics();
        return s.Streams.Sum(x => x.UnacknowledgedBatches);
    }

    private async Task WatchdogAsync(CancellationToken cancellationToken)
    {
        if (_systemd.WatchdogInterval is not { } every) return;
        using var timer = new PeriodicTimer(every, _time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            _systemd.Notify("WATCHDOG=1");
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected at shutdown.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {Agent} {Version} starting: data in {DataDirectory}, transport {Transport}, {Devices} devices")]
    private static partial void LogStarting(ILogger logger, string agent, string version, string dataDirectory, string transport, int devices);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: adapters stopped, flushing collected data to disk")]
    private static partial void LogStopping(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped; {Unsent} batches stay on disk for the next start")]
    private static partial void LogStopped(ILogger logger, long unsent);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stopping: collected data could not be signed and stored within {Timeout} (see the signing key or disk errors above); what was still in memory is lost")]
    private static partial void LogSealingAbandoned(ILogger logger, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not disconnect cleanly: {Reason}")]
    private static partial void LogDisconnectFailed(ILogger logger, string reason);
}
