using EquipmentIoT.Cloud.Api.Contracts;
using EquipmentIoT.Cloud.Registry;
using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using NodaTime;

namespace EquipmentIoT.Cloud.Api.Endpoints;

/// <summary>
/// <c>GET /devices/{id}/series/{metric}?from=&amp;to=&amp;step=&amp;aggregate=&amp;limit=</c>. Caps: raw points over at most
/// <see cref="MaxRawRange"/> and <see cref="MaxRawPoints"/> points; with a step, at most <see cref="MaxRange"/> and
/// <see cref="MaxSteps"/> steps — a year of 1 Hz data is asked for with step=1h or 1d, not as 31 million points.
/// </summary>
internal static class SeriesEndpoints
{
    public static readonly Duration MaxRange = Duration.FromDays(3660);
    public static readonly Duration MaxRawRange = Duration.FromDays(7);
    public const int MaxRawPoints = 100_000;
    public const int MaxSteps = 100_000;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/devices/{id}/series/{metric}", QueryAsync).WithTags("Series").WithName("QuerySeries")
            .WithSummary("Points of one metric in [from, to): raw, or one aggregate per step (1m, 1h, PT1M, …) aligned to the Unix epoch");
    }

    private static async Task<Results<Ok<SeriesResponse>, ValidationProblem>> QueryAsync(string id, string metric, string? from, string? to,
        string? step, string? aggregate, string? limit, ISeriesStore series, IClock clock, CancellationToken cancellationToken)
    {
        var p = new ApiParameters();
        if (RegistryRules.ValidateDeviceId(id) is { } idError) p.Error("id", idError);
        if (RegistryRules.ValidateDeviceId(metric) is not null) p.Error("metric", "a metric name is 1 to 64 characters from [A-Za-z0-9._:-]");
        var end = p.Instant("to", to, clock.GetCurrentInstant())!.Value;
        var start = p.Instant("from", from, end - Duration.FromHours(24))!.Value;
        var stepLength = p.Step("step", step, Duration.FromSeconds(1), Duration.FromDays(366));
        var how = p.Enum<SeriesAggregate>("aggregate", aggregate);
        var max = p.Int("limit", limit, stepLength is null ? 10_000 : MaxSteps, 1, stepLength is null ? MaxRawPoints : MaxSteps);
        if (!p.Failed)
        {
            if (end <= start) p.Error("to", "must be after from");
            else if (stepLength is null && end - start > MaxRawRange) p.Error("from", $"raw points cover at most {MaxRawRange.Days} days: give a step (e.g. step=1m)");
            else if (end - start > MaxRange) p.Error("from", $"a series query covers at most {MaxRange.Days} days");
            else if (stepLength is { } s && (end - start).TotalTicks / s.TotalTicks > MaxSteps) p.Error("step", $"the range would need more than {MaxSteps} steps: use a longer step");
        }
        if (how is not null && stepLength is null) p.Error("aggregate", "needs a step");
        if (p.Failed) return p.Problem();

        var query = new SeriesQuery(id, metric, start, end, stepLength, how ?? SeriesAggregate.Mean, max);
        var points = await series.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new SeriesResponse(id, metric, start, end, stepLength is { } st ? (long)st.TotalSeconds : null,
            stepLength is null ? null : query.Aggregate, points, points.Count >= max));
    }
}
