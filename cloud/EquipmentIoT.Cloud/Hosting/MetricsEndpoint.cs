using System.Globalization;
using System.Text;
using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Ingestion;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EquipmentIoT.Cloud.Hosting;

/// <summary>
/// <c>GET /metrics</c>: ingestion figures in the Prometheus text format (version 0.0.4), for a scraper with a
/// token of any role (Prometheus: <c>authorization: { credentials: … }</c>). Counters since the process started;
/// not audited (it reads no records).
/// </summary>
public static class MetricsEndpoint
{
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/metrics", (IngestionMetrics metrics) => TypedResults.Text(Render(metrics.Snapshot()), "text/plain; version=0.0.4; charset=utf-8"))
            .RequireAuthorization(ApiPolicies.Read)
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>The snapshot as Prometheus exposition text.</summary>
    public static string Render(IngestionSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var text = new StringBuilder();
        Counter(text, "eqiot_ingest_messages_total", "Telemetry messages received from the broker.", s.Messages);
        Counter(text, "eqiot_ingest_bytes_total", "Payload bytes of the telemetry messages received.", s.Bytes);
        Counter(text, "eqiot_ingest_batches_stored_total", "Batches verified and newly stored.", s.BatchesStored);
        Counter(text, "eqiot_ingest_duplicates_total", "Batches received again (redelivery, resend) and stored once.", s.Duplicates);
        Counter(text, "eqiot_ingest_points_total", "Metric points of the stored batches.", s.Points);
        Counter(text, "eqiot_ingest_events_total", "Events of the stored batches.", s.Events);
        Header(text, "eqiot_ingest_quarantined_total", "Messages quarantined, by reason.", "counter");
        foreach (var (reason, count) in s.Quarantined.OrderBy(q => q.Key))
            Line(text, $"eqiot_ingest_quarantined_total{{reason=\"{reason.ToString().ToLowerInvariant()}\"}}", count);
        Counter(text, "eqiot_ingest_commits_total", "Group commits to the stores.", s.Commits);
        Counter(text, "eqiot_ingest_commit_failures_total", "Group commits that failed (their messages are redelivered).", s.CommitFailures);
        Gauge(text, "eqiot_ingest_commit_seconds_mean", "Mean duration of a group commit.", s.MeanCommitLatency.TotalSeconds);
        Gauge(text, "eqiot_ingest_commit_seconds_max", "Longest group commit.", s.MaxCommitLatency.TotalSeconds);
        Gauge(text, "eqiot_ingest_queue_depth", "Verified messages waiting for the committer.", s.QueueDepth);
        if (s.Lag is { } lag) Gauge(text, "eqiot_ingest_lag_seconds", "Received minus created of the newest stored batch.", lag.TotalSeconds);
        Counter(text, "eqiot_ingest_gaps_opened_total", "Gaps found in agents' chains.", s.GapsOpened);
        Counter(text, "eqiot_ingest_gaps_filled_total", "Stored batches that filled (part of) a gap.", s.GapsFilled);
        Counter(text, "eqiot_ingest_resend_requests_total", "Resend commands published to agents.", s.ResendRequests);
        Counter(text, "eqiot_ingest_resend_replies_total", "Resend replies recorded.", s.ResendReplies);
        Counter(text, "eqiot_ingest_state_records_total", "Agent state records seen.", s.StateRecords);
        Counter(text, "eqiot_ingest_skipped_total", "Messages on unexpected topics or unreadable replies.", s.Skipped);
        return text.ToString();
    }

    private static void Counter(StringBuilder text, string name, string help, double value)
    {
        Header(text, name, help, "counter");
        Line(text, name, value);
    }

    private static void Gauge(StringBuilder text, string name, string help, double value)
    {
        Header(text, name, help, "gauge");
        Line(text, name, value);
    }

    private static void Header(StringBuilder text, string name, string help, string type) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Line(StringBuilder text, string series, double value) =>
        text.Append(series).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
}
