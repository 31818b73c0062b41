using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Rules.Engine;
using EquipmentIoT.Cloud.Rules.Parsing;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Rules;

/// <summary>
/// The rule engine in the service: loads the rules (configured and stored), restores the saved state, learns device classes and sites
/// from the registry, feeds the engine what ingestion stored, passes its transitions to the <see cref="AlarmManager"/>, and saves the
/// engine's state. One caller at a time (a lock), so that transitions reach the alarms in the order they happened.
/// </summary>
public sealed partial class RuleRuntime : IDisposable
{
    private readonly IRuleStore _store;
    private readonly AlarmManager _alarms;
    private readonly IRegistryStore _registry;
    private readonly IClock _clock;
    private readonly RulesOptions _options;
    private readonly IConfiguration _configuration;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private RuleEngine? _engine;

    /// <summary>A runtime over its stores.</summary>
    public RuleRuntime(IRuleStore store, AlarmManager alarms, IRegistryStore registry, IClock clock, IOptions<RulesOptions> options,
        IConfiguration configuration, ILogger<RuleRuntime> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _alarms = alarms ?? throw new ArgumentNullException(nameof(alarms));
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _options = options.Value;
        _configuration = configuration ?? throw new ArgumentNullException(nameof(configuration));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>True once the rules and the saved state are loaded.</summary>
    public bool IsInitialized => _engine is not null;

    /// <summary>The rules in force (after the first use).</summary>
    public IReadOnlyList<RuleDefinition> Rules => _engine?.Rules ?? [];

    /// <summary>Loads rules and the saved state, once; every other method calls it first.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EngineAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Rereads the rules (after the API changed the rules table); returns what was read, errors included.</summary>
    public Task<RuleReadResult> ReloadRulesAsync(CancellationToken cancellationToken) => LockedAsync(async engine =>
    {
        var read = await ReadRulesAsync(cancellationToken).ConfigureAwait(false);
        var transitions = engine.SetRules(read.Rules, _clock.GetCurrentInstant());
        await _alarms.ApplyAsync(transitions, cancellationToken).ConfigureAwait(false);
        return read;
    }, cancellationToken);

    /// <summary>
    /// A batch the ledger stored: its readings and events in timestamp order (events first at equal times, so that a state change
    /// applies to readings of the same instant), then its seq for open-gap counts.
    /// </summary>
    public async Task ObserveAsync(TelemetryBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var devices = batch.Metrics.Select(m => m.Device).Concat(batch.Events.Select(e => e.Device)).Distinct(StringComparer.Ordinal).ToList();
        await LockedAsync(async engine =>
        {
            foreach (var device in devices.Where(d => !engine.KnowsDevice(d)))
                engine.SetDevice(await DescribeAsync(device, batch.Agent, cancellationToken).ConfigureAwait(false));
            var transitions = new List<RuleTransition>();
            var events = batch.Events.OrderBy(e => e.Timestamp).ToList();
            var metrics = batch.Metrics.OrderBy(m => m.Timestamp).ToList();
            int e = 0, m = 0;
            while (e < events.Count || m < metrics.Count)
            {
                if (m == metrics.Count || (e < events.Count && events[e].Timestamp <= metrics[m].Timestamp))
                    transitions.AddRange(engine.Observe(events[e++], batch.Agent));
                else transitions.AddRange(engine.Observe(metrics[m++], batch.Agent));
            }

            transitions.AddRange(engine.ObserveBatch(batch.Agent, batch.Stream, batch.Seq, batch.Created));
            await _alarms.ApplyAsync(transitions, cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Events the cloud raised itself (<c>integrity.*</c>), in order.</summary>
    public Task ObserveAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        return LockedAsync(async engine =>
        {
            var transitions = events.OrderBy(e => e.Timestamp).SelectMany(engine.Observe).ToList();
            await _alarms.ApplyAsync(transitions, cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    /// <summary>Lets time pass for the engine (silences, delays) and the alarms (escalation, shelves, flapping).</summary>
    public Task TickAsync(CancellationToken cancellationToken) => LockedAsync(async engine =>
    {
        var now = _clock.GetCurrentInstant();
        await _alarms.ApplyAsync(engine.Tick(now), cancellationToken).ConfigureAwait(false);
        await _alarms.TickAsync(now, cancellationToken).ConfigureAwait(false);
        return 0;
    }, cancellationToken);

    /// <summary>Saves the engine's state.</summary>
    public Task SaveSnapshotAsync(CancellationToken cancellationToken) => LockedAsync(async engine =>
    {
        await _store.SaveSnapshotAsync(engine.Snapshot(), _clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
        return 0;
    }, cancellationToken);

    /// <summary>Rereads every device's class, site and agent from the registry.</summary>
    public Task RefreshDevicesAsync(CancellationToken cancellationToken) => LockedAsync(async engine =>
    {
        await RefreshAsync(engine, cancellationToken).ConfigureAwait(false);
        return 0;
    }, cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => _lock.Dispose();

    private async Task<T> LockedAsync<T>(Func<RuleEngine, Task<T>> work, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await work(await EngineAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<RuleEngine> EngineAsync(CancellationToken cancellationToken)
    {
        if (_engine is not null) return _engine;
        var read = await ReadRulesAsync(cancellationToken).ConfigureAwait(false);
        var engine = new RuleEngine(read.Rules, new RuleEngineOptions(Duration.FromTimeSpan(_options.MaxReadingAge)));
        if (await _store.LoadSnapshotAsync(cancellationToken).ConfigureAwait(false) is { } saved)
        {
            if (saved.Snapshot is { } snapshot) engine.Restore(snapshot);
            else RulesLog.SnapshotUnreadable(_logger, saved.Error ?? "unknown");
        }

        await RefreshAsync(engine, cancellationToken).ConfigureAwait(false);
        // An alarm saved after the last snapshot (a crash between the two) must still be cleared when its condition ends.
        var open = await _alarms.OpenAlarmsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var alarm in open.Where(a => a.ConditionActive)) engine.Assume(alarm.RuleId, alarm.Device, alarm.SubjectKind);
        var enabled = read.Rules.Count(r => r.Enabled);
        RulesLog.Started(_logger, enabled, read.Rules.Count, open.Count);
        _engine = engine;
        return engine;
    }

    private async Task<RuleReadResult> ReadRulesAsync(CancellationToken cancellationToken)
    {
        var configured = RuleSources.ReadConfigured(_options, _configuration);
        if (!configured.Success) throw new InvalidOperationException("rules: " + string.Join(Environment.NewLine, configured.Errors));
        var stored = await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
        // A stored rule was checked when it was saved; one that no longer reads is skipped, not fatal: the API can fix it.
        foreach (var error in stored.Errors) RulesLog.StoredRuleUnreadable(_logger, error);
        return RuleSources.WithStored(configured, stored with { Errors = [] });
    }

    private async Task RefreshAsync(RuleEngine engine, CancellationToken cancellationToken)
    {
        var sites = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var agent in await _registry.ListAgentsAsync(cancellationToken).ConfigureAwait(false)) sites[agent.Id] = agent.Site;
        foreach (var d in await _registry.ListDevicesAsync(new DeviceQuery(Limit: 100_000), cancellationToken).ConfigureAwait(false))
            engine.SetDevice(new DeviceInfo(d.Id, d.Asset.DeviceClass, d.Asset.Site ?? (d.AgentId is { } a ? sites.GetValueOrDefault(a) : null), d.AgentId));
    }

    private async Task<DeviceInfo> DescribeAsync(string device, string agent, CancellationToken cancellationToken)
    {
        var record = await _registry.GetDeviceAsync(device, cancellationToken).ConfigureAwait(false);
        var site = record?.Asset.Site ?? (await _registry.GetAgentAsync(agent, cancellationToken).ConfigureAwait(false))?.Site;
        return new DeviceInfo(device, record?.Asset.DeviceClass, site, agent);
    }
}

internal static partial class RulesLog
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Rules: {Enabled} of {Total} rule(s) enabled; {OpenAlarms} open alarm(s)")]
    public static partial void Started(ILogger logger, int enabled, int total, int openAlarms);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Rules: the saved engine state cannot be restored ({Reason}); starting afresh")]
    public static partial void SnapshotUnreadable(ILogger logger, string reason);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Error, Message = "Rules: a stored rule is skipped: {Error}")]
    public static partial void StoredRuleUnreadable(ILogger logger, string error);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Error, Message = "Rules: a tick failed; the next one tries again")]
    public static partial void TickFailed(ILogger logger, Exception exception);
}
