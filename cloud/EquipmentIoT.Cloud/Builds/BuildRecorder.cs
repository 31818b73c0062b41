using EquipmentIoT.Cloud.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Builds;

/// <summary>
/// Follows the ledger's printer events into build records (a cursor stored with the records, advanced in the same
/// transaction, so a restart continues where it stopped and two instances never apply an event twice), and keeps
/// each build's per-layer summaries current from the series store: while it runs, and once more after its end has
/// settled (metric batches may arrive after the event that ended the job).
/// </summary>
public sealed partial class BuildRecorder(ITelemetryLedger ledger, IBuildStore store, BuildSummaries summaries, IOptions<BuildOptions> options,
    IClock clock, ILogger<BuildRecorder> logger) : BackgroundService
{
    private const int EventsPerPass = 2000;
    private readonly BuildOptions _options = options.Value;
    private readonly BuildTracker _tracker = new(options.Value);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.PollInterval);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A store outage: the cursor did not move, so the next pass retries the same events.
                LogPassFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One pass: apply new events (in chunks until caught up), then refresh due summaries.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var numbering = new BatchNumbering(_options.BatchPrefix, DateTimeZoneProviders.Tzdb[_options.TimeZone]);
        while (true)
        {
            var (open, cursor) = await store.LoadTrackingAsync(cancellationToken).ConfigureAwait(false);
            var events = await ledger.EventsAfterAsync(cursor, _tracker.Types, EventsPerPass, cancellationToken).ConfigureAwait(false);
            if (events.Count == 0) break;
            _tracker.Apply(open, events);
            if (!await store.SaveTrackingAsync(cursor, events[^1].Id, open, numbering, cancellationToken).ConfigureAwait(false))
            {
                LogCursorMoved(logger, cursor);
                continue;
            }

            foreach (var build in open.Where(b => b.Id is null)) LogOpened(logger, build.Device, build.Started);
            if (events.Count < EventsPerPass) break;
        }

        var now = clock.GetCurrentInstant();
        var settle = Duration.FromTimeSpan(_options.SettleTime);
        var due = await store.DueForSummaryAsync(now - Duration.FromTimeSpan(_options.SummaryInterval), now - settle, settle, cancellationToken)
            .ConfigureAwait(false);
        foreach (var build in due) await summaries.RefreshAsync(build.Id, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "build opened on {Device} at {Started}")]
    private static partial void LogOpened(ILogger logger, string device, Instant started);

    [LoggerMessage(Level = LogLevel.Debug, Message = "another instance applied the printer events after {Cursor}; reloading")]
    private static partial void LogCursorMoved(ILogger logger, long cursor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "build recording pass failed; retrying next pass")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
