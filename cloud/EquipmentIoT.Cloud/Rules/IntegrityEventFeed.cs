using EquipmentIoT.Cloud.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EquipmentIoT.Cloud.Rules;

/// <summary>
/// Feeds the integrity events the cloud raises itself (quarantines, gaps) to the rules: they are written by the ledger,
/// not carried by an agent's batch. Follows the ledger from the newest such event at start (what came before was
/// judged by the instance that ran then), every <see cref="RulesOptions.TickInterval"/>.
/// </summary>
public sealed partial class IntegrityEventFeed(ITelemetryLedger ledger, RuleRuntime rules, IOptions<RulesOptions> options, ILogger<IntegrityEventFeed> logger)
    : BackgroundService
{
    private static readonly string[] Types =
        [IntegrityEventTypes.Quarantined, IntegrityEventTypes.GapDetected, IntegrityEventTypes.GapFilled, IntegrityEventTypes.GapUnavailable];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var newest = await ledger.EventsAsync(new EventQuery(TypePrefix: "integrity.", Limit: 1), stoppingToken).ConfigureAwait(false);
        var cursor = newest.Count == 0 ? 0 : newest[0].Id;
        using var timer = new PeriodicTimer(options.Value.TickInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var events = await ledger.EventsAfterAsync(cursor, Types, 1000, stoppingToken).ConfigureAwait(false);
                if (events.Count == 0) continue;
                await rules.ObserveAsync(events, stoppingToken).ConfigureAwait(false);
                cursor = events[^1].Id;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "feeding integrity events to the rules failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
