using EquipmentIoT.Cloud.Rules.Engine;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace EquipmentIoT.Cloud.Alarms;

/// <summary>
/// Runs the alarm lifecycle against the store: applies rule transitions, the commands people give and the passing of time, saves each
/// change with its transitions in one transaction, then tells the observers. Changes are made one at a time in this process; another
/// instance's concurrent change is detected by the store (version, one open alarm per rule and device) and the change is read and tried again.
/// </summary>
public sealed partial class AlarmManager : IDisposable
{
    private const int MaxAttempts = 3;

    private readonly IAlarmStore _store;
    private readonly AlarmPolicy _policy;
    private readonly IReadOnlyList<IAlarmObserver> _observers;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>A manager over a store, with a policy and the observers to tell.</summary>
    public AlarmManager(IAlarmStore store, AlarmPolicy policy, IEnumerable<IAlarmObserver> observers, ILogger<AlarmManager> logger)
    {
        ArgumentNullException.ThrowIfNull(observers);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _observers = [.. observers];
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The policy in force.</summary>
    public AlarmPolicy Policy => _policy;

    /// <summary>Applies rule transitions in order; returns the alarms they changed, as saved.</summary>
    public async Task<IReadOnlyList<Alarm>> ApplyAsync(IReadOnlyList<RuleTransition> transitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        var changed = new List<Alarm>();
        if (transitions.Count == 0) return changed;
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var t in transitions)
            {
                var saved = await WithRetryAsync(async () =>
                {
                    var latest = await _store.LatestAsync(t.RuleId, t.Subject, cancellationToken).ConfigureAwait(false);
                    return AlarmLifecycle.Apply(latest, t, _policy);
                }, cancellationToken).ConfigureAwait(false);
                if (saved is not null) changed.Add(saved);
            }
        }
        finally
        {
            _lock.Release();
        }

        return changed;
    }

    /// <summary>The open alarms, most severe first.</summary>
    public Task<IReadOnlyList<Alarm>> OpenAlarmsAsync(CancellationToken cancellationToken) =>
        _store.ListAsync(new AlarmQuery(Open: true, Limit: 10_000), cancellationToken);

    /// <summary>Expires shelves, ends flapping that is stable, escalates unacknowledged alarms; returns the alarms changed.</summary>
    public async Task<IReadOnlyList<Alarm>> TickAsync(Instant now, CancellationToken cancellationToken)
    {
        var changed = new List<Alarm>();
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var open = await OpenAlarmsAsync(cancellationToken).ConfigureAwait(false);
            foreach (var alarm in open)
            {
                var first = true;
                var saved = await WithRetryAsync(async () =>
                {
                    var current = first ? alarm : await _store.GetAsync(alarm.Id, cancellationToken).ConfigureAwait(false);
                    first = false;
                    return current is null ? null : AlarmLifecycle.Tick(current, now, _policy);
                }, cancellationToken).ConfigureAwait(false);
                if (saved is not null) changed.Add(saved);
            }
        }
        finally
        {
            _lock.Release();
        }

        return changed;
    }

    /// <summary>Acknowledges an alarm (see <see cref="AlarmCommands.Acknowledge"/>).</summary>
    public Task<AlarmCommandResult> AcknowledgeAsync(long id, string actor, string? comment, Instant now, CancellationToken cancellationToken) =>
        CommandAsync(id, a => AlarmCommands.Acknowledge(a, actor, comment, now), cancellationToken);

    /// <summary>Shelves an alarm until <paramref name="until"/> (see <see cref="AlarmCommands.Shelve"/>).</summary>
    public Task<AlarmCommandResult> ShelveAsync(long id, Instant until, string actor, string? comment, Instant now, CancellationToken cancellationToken) =>
        CommandAsync(id, a => AlarmCommands.Shelve(a, until, actor, comment, now, _policy), cancellationToken);

    /// <summary>Takes an alarm off its shelf (see <see cref="AlarmCommands.Unshelve"/>).</summary>
    public Task<AlarmCommandResult> UnshelveAsync(long id, string actor, string? comment, Instant now, CancellationToken cancellationToken) =>
        CommandAsync(id, a => AlarmCommands.Unshelve(a, actor, comment, now), cancellationToken);

    /// <summary>Resolves an alarm by hand (see <see cref="AlarmCommands.Resolve"/>).</summary>
    public Task<AlarmCommandResult> ResolveAsync(long id, string actor, string? comment, Instant now, CancellationToken cancellationToken) =>
        CommandAsync(id, a => AlarmCommands.Resolve(a, actor, comment, now), cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => _lock.Dispose();

    private async Task<AlarmCommandResult> CommandAsync(long id, Func<Alarm, AlarmCommandResult> command, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                if (await _store.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } alarm) return AlarmCommandResult.Refused($"no alarm with id {id}");
                var result = command(alarm);
                if (!result.Success) return result;
                try
                {
                    var saved = await _store.SaveAsync(result.Step, cancellationToken).ConfigureAwait(false);
                    var step = result.Step with { Alarm = saved };
                    await NotifyAsync(step, cancellationToken).ConfigureAwait(false);
                    return AlarmCommandResult.Done(step);
                }
                catch (AlarmConflictException e) when (attempt < MaxAttempts)
                {
                    AlarmsLog.Conflict(_logger, id, e.Message);
                }
                catch (AlarmConflictException)
                {
                    return AlarmCommandResult.Refused($"alarm {id} is being changed by someone else: try again");
                }
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Computes a step, saves it and tells the observers; on a conflict reads again (up to <see cref="MaxAttempts"/>).</summary>
    private async Task<Alarm?> WithRetryAsync(Func<Task<AlarmStep?>> compute, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await compute().ConfigureAwait(false) is not { } step) return null;
            try
            {
                var saved = await _store.SaveAsync(step, cancellationToken).ConfigureAwait(false);
                await NotifyAsync(step with { Alarm = saved }, cancellationToken).ConfigureAwait(false);
                return saved;
            }
            catch (AlarmConflictException e) when (attempt < MaxAttempts)
            {
                AlarmsLog.Conflict(_logger, step.Alarm.Id, e.Message);
            }
        }
    }

    private async Task NotifyAsync(AlarmStep step, CancellationToken cancellationToken)
    {
        foreach (var kind in step.Notices)
        {
            var notice = new AlarmNotice(kind, step.Alarm, kind == AlarmNoticeKind.Escalated ? step.Alarm.EscalationLevel : null);
            foreach (var observer in _observers)
            {
                try
                {
                    await observer.OnAlarmAsync(notice, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The alarm is saved; a failing observer (a notification queue) must not undo it nor stop the others.
                    AlarmsLog.ObserverFailed(_logger, e, observer.GetType().Name, kind, step.Alarm.Id);
                }
            }
        }
    }
}

internal static partial class AlarmsLog
{
    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Alarm {AlarmId} changed concurrently: {Detail}; reading it again")]
    public static partial void Conflict(ILogger logger, long alarmId, string detail);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Error, Message = "Alarm observer {Observer} failed on {Kind} of alarm {AlarmId}")]
    public static partial void ObserverFailed(ILogger logger, Exception exception, string observer, AlarmNoticeKind kind, long alarmId);
}
