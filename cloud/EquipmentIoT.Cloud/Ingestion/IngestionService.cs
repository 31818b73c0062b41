using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Protocols.Mqtt.Packets;
using EquipmentIoT.Protocols.Telemetry.Commands;
using EquipmentIoT.Protocols.Telemetry.Topics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Ingestion;

/// <summary>
/// The ingestion service: writes the series of batches left pending by a crash, connects to the broker
/// with a persistent session, subscribes (shared) to every agent's telemetry and resend replies and to
/// their state records, and for each telemetry message, in arrival order, classifies it
/// (<see cref="TelemetryClassifier"/>) and hands it to the <see cref="GroupCommitter"/>; the MQTT
/// acknowledgement waits for the commit (<see cref="IngestionOptions.MaxPendingAcknowledgements"/>
/// messages in flight). New gaps are asked for by the <see cref="GapResender"/>.
/// </summary>
public sealed class IngestionService : BackgroundService, IResendPublisher
{
    private readonly IngestionOptions _options;
    private readonly TelemetryClassifier _classifier;
    private readonly GroupCommitter _committer;
    private readonly SeriesRecovery _recovery;
    private readonly GapResender _resender;
    private readonly AgentKeyCache _keys;
    private readonly ITelemetryLedger _ledger;
    private readonly IRegistryStore _registry;
    private readonly ISeriesStore _series;
    private readonly IngestionMetrics _metrics;
    private readonly IClock _clock;
    private readonly TimeProvider _time;
    private readonly ILogger<IngestionService> _logger;
    private readonly MqttRetryPolicy _retry;
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MqttClient? _client;
    private Task _lastEnqueued = Task.CompletedTask; // touched only by the MQTT client's dispatch loop, one handler call at a time

    /// <summary>Creates the service (the host starts it).</summary>
    public IngestionService(IOptions<IngestionOptions> options, TelemetryClassifier classifier, GroupCommitter committer, SeriesRecovery recovery,
        GapResender resender, AgentKeyCache keys, ITelemetryLedger ledger, IRegistryStore registry, ISeriesStore series, IngestionMetrics metrics, IClock clock,
        TimeProvider time, ILogger<IngestionService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _classifier = classifier;
        _committer = committer;
        _recovery = recovery;
        _resender = resender;
        _keys = keys;
        _ledger = ledger;
        _registry = registry;
        _series = series;
        _metrics = metrics;
        _clock = clock;
        _time = time;
        _logger = logger;
        _retry = new MqttRetryPolicy(TimeSpan.FromMilliseconds(200), _options.MaxReconnectDelay, int.MaxValue);
        _committer.GapsFound += (_, _) => _resender.Wake();
    }

    /// <summary>Completes once the subscriptions are in place (for health checks and tests).</summary>
    public Task Subscribed => _subscribed.Task;

    /// <summary>The broker connection's state; null before the service started or after it stopped.</summary>
    public MqttClientState? ClientState => _client?.State;

    /// <summary>The MQTT subscriptions: shared telemetry and resend replies, and every agent's state record.</summary>
    public IReadOnlyList<string> Filters =>
    [
        TelemetryTopics.Shared(_options.ShareGroup, TelemetryTopics.AllTelemetry),
        TelemetryTopics.Shared(_options.ShareGroup, TelemetryTopics.Prefix + "+/reply/" + ResendCommand.Name),
        TelemetryTopics.AllState,
    ];

    /// <inheritdoc/>
    public async Task PublishResendAsync(string agentId, ResendCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var client = _client ?? throw new MqttCommunicationException("ingestion is not connected to the broker", isTransient: true);
        await client.PublishAsync(TelemetryTopics.Command(agentId, ResendCommand.Name), command.ToUtf8(), MqttQualityOfService.AtLeastOnce,
            retain: false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Points the ledger holds as pending reach the series store before anything new is taken.
        await _recovery.RunAsync(stoppingToken).ConfigureAwait(false);

        // The committer stops after the client, so that a group being committed finishes.
        using var committing = new CancellationTokenSource();
        var committer = _committer.RunAsync(committing.Token);
        var recovering = RecoverPeriodicallyAsync(stoppingToken);
        var brokerText = _options.Broker;
        var client = new MqttClient(IngestionMqtt.Build(_options, _retry, _time)) { MessageReceived = OnMessageAsync };
        client.MessageHandlerFailed += (_, e) => IngestionLog.HandlerFailed(_logger, e.Message);
        client.Connected += (_, e) => IngestionLog.Connected(_logger, brokerText, _options.EffectiveClientId, e.SessionPresent);
        client.Disconnected += (_, e) =>
        {
            if (e.Reason is not null) IngestionLog.Disconnected(_logger, e.Reason.Message, e.WillReconnect);
        };
        _client = client;
        try
        {
            await ConnectAsync(client, brokerText, stoppingToken).ConfigureAwait(false);
            await SubscribeAsync(client, stoppingToken).ConfigureAwait(false);
            await _resender.RunAsync(this, _time, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            _subscribed.TrySetCanceled(CancellationToken.None);
            // DISCONNECT first: what is not acknowledged by then is delivered again (to another instance, or to us after a restart).
            await client.DisposeAsync().ConfigureAwait(false);
            await committing.CancelAsync().ConfigureAwait(false);
            await committer.ConfigureAwait(false);
            await recovering.ConfigureAwait(false);
            _client = null;
        }
    }

    // Batches left "series pending" by any instance (one killed between its ledger and series commits) are written by the others.
    private async Task RecoverPeriodicallyAsync(CancellationToken stoppingToken)
    {
        var interval = _options.SeriesRecoveryInterval;
        if (interval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await _recovery.RunAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    IngestionLog.SeriesRecoveryFailed(_logger, e.Message, interval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task ConnectAsync(MqttClient client, string broker, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (MqttCommunicationException e)
            {
                _retry.ShouldRetry(attempt, e, out var delay);
                IngestionLog.ConnectFailed(_logger, broker, e.Message, delay);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task SubscribeAsync(MqttClient client, CancellationToken cancellationToken)
    {
        var filters = Filters;
        var granted = await client.SubscribeAsync([.. filters.Select(f => new MqttTopicSubscription(f, MqttQualityOfService.AtLeastOnce))], cancellationToken)
            .ConfigureAwait(false);
        for (var i = 0; i < filters.Count; i++)
        {
            if (granted[i] == MqttSubscribeReturnCode.Failure)
                throw new MqttCommunicationException($"the broker refused the subscription {filters[i]} (check its ACL for the ingestion user)", isTransient: false);
        }
        var list = string.Join(", ", filters);
        IngestionLog.Subscribed(_logger, list);
        _subscribed.TrySetResult();
    }

    private ValueTask OnMessageAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        if (!TelemetryTopics.TryParse(message.Topic, out var topic)) return Skip(message.Topic, "not a topic of envelope v1");
        switch (topic.Kind)
        {
            case TelemetryTopicKind.Telemetry:
                _metrics.Received(message.Payload.Length);
                var previous = _lastEnqueued;
                var enqueued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _lastEnqueued = enqueued.Task;
                return IngestAsync(topic.AgentId, message.Payload, previous, enqueued, cancellationToken);
            case TelemetryTopicKind.State:
                return OnStateAsync(topic.AgentId, message, cancellationToken);
            case TelemetryTopicKind.Reply when topic.Command == ResendCommand.Name:
                return OnResendReplyAsync(topic.AgentId, message.Payload, cancellationToken);
            default:
                return Skip(message.Topic, "ingestion does not handle this topic");
        }
    }

    /// <summary>
    /// Classifies (which may wait for the registry) and queues in arrival order: each message waits until
    /// the one before it is queued, so that batches of a stream reach the ledger in the order they arrived.
    /// </summary>
    private async ValueTask IngestAsync(string agent, ReadOnlyMemory<byte> payload, Task previous, TaskCompletionSource enqueued,
        CancellationToken cancellationToken)
    {
        Task committed;
        try
        {
            var classified = await _classifier.ClassifyAsync(agent, payload, cancellationToken).ConfigureAwait(false);
            await previous.ConfigureAwait(false);
            committed = await _committer.EnqueueAsync(classified, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            enqueued.TrySetResult();
        }
        await committed.ConfigureAwait(false);
    }

    private async ValueTask OnStateAsync(string agent, MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        var (state, error) = AgentStateReader.Read(message.Payload.Span);
        if (state is null)
        {
            await Skip(message.Topic, "state record: " + error).ConfigureAwait(false);
            return;
        }
        if (!string.Equals(state.Agent, agent, StringComparison.Ordinal))
        {
            await Skip(message.Topic, $"state record names agent {state.Agent}").ConfigureAwait(false);
            return;
        }
        if (!await _keys.AgentExistsAsync(agent, cancellationToken).ConfigureAwait(false))
        {
            await Skip(message.Topic, "state record of an agent that is not registered").ConfigureAwait(false);
            return;
        }
        _metrics.StateRecord();
        // A live "online" record means the agent is there now; a retained one (sent on subscribing) or the
        // broker's last will says only when the agent made it (never later than now: agent clocks drift).
        var now = _clock.GetCurrentInstant();
        var seen = state.Online && !message.Retain ? now : Instant.Min(state.At, now);
        await _registry.TouchAsync(agent, [], seen, cancellationToken).ConfigureAwait(false);
        // Buffer depth and drops over time, for the agent health dashboard (idempotent: a retained record written again adds nothing).
        if (AgentHealthSeries.BatchOf(state) is { } health) await _series.WriteAsync([health], cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask OnResendReplyAsync(string agent, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var read = ResendReply.Parse(payload.Span);
        if (!read.TryGetValue(out var reply))
        {
            await Skip(TelemetryTopics.Reply(agent, ResendCommand.Name), "resend reply: " + read.Error).ConfigureAwait(false);
            return;
        }
        await _ledger.RecordResendReplyAsync(agent, reply, _clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
        _metrics.ResendReplied();
        var unavailable = reply.Unavailable.Sum(r => r.Count);
        IngestionLog.ResendReplied(_logger, agent, reply.Stream, reply.From, reply.To, reply.Republished, unavailable);
    }

    private ValueTask Skip(string topic, string reason)
    {
        _metrics.Skipped();
        IngestionLog.Skipped(_logger, topic.Length <= 200 ? topic : topic[..200] + "…", reason);
        return ValueTask.CompletedTask;
    }
}
