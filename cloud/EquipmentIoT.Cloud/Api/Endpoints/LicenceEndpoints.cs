using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Api.Contracts;
using EquipmentIoT.Cloud.Licences;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace EquipmentIoT.Cloud.Api.Endpoints;

/// <summary>
/// The configuration licence register (配置许可证): list with bands, one licence with its reminders, create, edit,
/// fulfil and revoke (managers, admins), and the monthly or yearly report as JSON or CSV. Read for any role.
/// </summary>
internal static class LicenceEndpoints
{
    public const int MaxLicences = 10_000;

    /// <summary>The list's filters.</summary>
    internal sealed record LicenceFilter(string? Band, string? Region, string? Category, string? Site, string? Status, string? Sort, string? Limit);

    /// <summary>Maps <c>/licences</c> on the API group.</summary>
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var licences = api.MapGroup("/licences").WithTags("Licences");
        licences.MapGet("", ListAsync).WithName("ListLicences")
            .WithSummary("Licences with their band today (band, region, category, site, status filter; sort=deadline|-deadline)");
        licences.MapGet("/report", ReportAsync).WithName("LicenceReport")
            .WithSummary("Report per region and category of the month or year of date (period=month|year, format=json|csv, lang=zh|en)")
            .Produces<LicenceReport>().Produces<string>(contentType: "text/csv");
        licences.MapGet("/{id:long}", GetAsync).WithName("GetLicence").WithSummary("One licence with its band and every reminder decided for it")
            .ProducesProblem(StatusCodes.Status404NotFound);
        licences.MapPost("", CreateAsync).WithName("CreateLicence").WithSummary("Registers a licence (active)")
            .ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(ApiPolicies.ManageLicences);
        licences.MapPut("/{id:long}", UpdateAsync).WithName("UpdateLicence").WithSummary("Replaces what a licence says (not its status)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(ApiPolicies.ManageLicences);
        licences.MapPost("/{id:long}/fulfil", FulfilAsync).WithName("FulfilLicence")
            .WithSummary("Records the installation under an active licence (device known to the registry); reminders stop")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(ApiPolicies.ManageLicences);
        licences.MapPost("/{id:long}/revoke", RevokeAsync).WithName("RevokeLicence").WithSummary("Records a revocation with its reason; reminders stop")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(ApiPolicies.ManageLicences);
    }

    private static async Task<Results<Ok<IReadOnlyList<LicenceView>>, ValidationProblem>> ListAsync([AsParameters] LicenceFilter filter,
        ILicenceStore store, LicenceCalendar calendar, CancellationToken cancellationToken)
    {
        var p = new ApiParameters();
        var band = p.Enum<LicenceBand>("band", filter.Band);
        var query = new LicenceQuery(p.Enum<LicenceStatus>("status", filter.Status), Trimmed(filter.Region), p.Enum<LicenceCategory>("category", filter.Category),
            Trimmed(filter.Site), Limit: MaxLicences);
        var limit = p.Int("limit", filter.Limit, 1000, 1, MaxLicences);
        var descending = filter.Sort switch
        {
            null or "" or "deadline" => false,
            "-deadline" => true,
            _ => Bad(p, "sort", "deadline or -deadline"),
        };
        if (p.Failed) return p.Problem();

        var day = await calendar.NowAsync(cancellationToken).ConfigureAwait(false);
        var views = (await store.ListAsync(query, cancellationToken).ConfigureAwait(false)).Select(l => View(l, day)).Where(v => band is null || v.Band == band);
        views = descending ? views.OrderByDescending(v => v.Licence.Deadline).ThenByDescending(v => v.Licence.Id) : views;
        return TypedResults.Ok<IReadOnlyList<LicenceView>>([.. views.Take(limit)]);
    }

    private static async Task<Results<Ok<LicenceDetail>, ProblemHttpResult>> GetAsync(long id, ILicenceStore store, LicenceCalendar calendar,
        CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } licence) return ApiProblems.NotFound($"no licence {id}");
        var view = View(licence, await calendar.NowAsync(cancellationToken).ConfigureAwait(false));
        var notices = await store.NoticesAsync(id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new LicenceDetail(licence, view.Band, view.DaysLeft, view.Today, notices));
    }

    private static async Task<Results<Created<Licence>, ValidationProblem, ProblemHttpResult>> CreateAsync(LicenceRequest request, LicenceService service,
        CancellationToken cancellationToken)
    {
        var result = await service.CreateAsync(request, cancellationToken).ConfigureAwait(false);
        return result.Outcome switch
        {
            LicenceOutcome.Ok => TypedResults.Created($"{CloudApi.BasePath}/licences/{result.Licence!.Id}", result.Licence),
            LicenceOutcome.Invalid => Invalid(result),
            _ => ApiProblems.Conflict(result.Reason),
        };
    }

    private static async Task<Results<Ok<Licence>, ValidationProblem, ProblemHttpResult>> UpdateAsync(long id, LicenceRequest request, LicenceService service,
        CancellationToken cancellationToken) =>
        Answer(await service.UpdateAsync(id, request, cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<Licence>, ValidationProblem, ProblemHttpResult>> FulfilAsync(long id, FulfilLicenceRequest request,
        LicenceService service, CancellationToken cancellationToken) =>
        Answer(await service.FulfilAsync(id, request.DeviceId, request.On, request.Note, cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<Licence>, ValidationProblem, ProblemHttpResult>> RevokeAsync(long id, RevokeLicenceRequest request,
        LicenceService service, CancellationToken cancellationToken) =>
        Answer(await service.RevokeAsync(id, request.Reason, request.On, cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<LicenceReport>, ContentHttpResult, ValidationProblem>> ReportAsync(string? period, string? date, string? format,
        string? lang, ILicenceStore store, LicenceCalendar calendar, IOptions<LicenceOptions> options, HttpResponse response, CancellationToken cancellationToken)
    {
        var p = new ApiParameters();
        var span = p.Enum<ReportPeriod>("period", period) ?? ReportPeriod.Month;
        var now = await calendar.NowAsync(cancellationToken).ConfigureAwait(false);
        var today = now.Now.InZone(now.Fallback).Date;
        var day = string.IsNullOrEmpty(date) ? today : p.Date("date", date);
        var csv = format switch
        {
            null or "" or "json" => false,
            "csv" => true,
            _ => Bad(p, "format", "json or csv"),
        };
        var language = string.IsNullOrEmpty(lang) ? options.Value.Language : lang;
        if (language is not ("zh" or "en")) p.Error("lang", "zh or en");
        if (p.Failed) return p.Problem();

        var all = await store.ListAsync(new LicenceQuery(Limit: int.MaxValue), cancellationToken).ConfigureAwait(false);
        var report = LicenceReport.Build(all, span, day, today);
        if (!csv) return TypedResults.Ok(report);
        response.Headers.ContentDisposition = $"attachment; filename=\"{LicenceReportText.FileName(report)}\"";
        return TypedResults.Content(LicenceReportText.Csv(report, language), "text/csv; charset=utf-8");
    }

    private static LicenceView View(Licence licence, LicenceDay day)
    {
        var today = day.TodayOf(licence);
        return new LicenceView(licence, day.BandOf(licence), LicenceBands.DaysLeft(licence.Deadline, today), today);
    }

    private static Results<Ok<Licence>, ValidationProblem, ProblemHttpResult> Answer(LicenceResult result) =>
        result.Success ? TypedResults.Ok(result.Licence!) : Problem(result);

    private static Results<Ok<Licence>, ValidationProblem, ProblemHttpResult> Problem(LicenceResult result) => result.Outcome switch
    {
        LicenceOutcome.Invalid => Invalid(result),
        LicenceOutcome.NotFound => ApiProblems.NotFound(result.Reason),
        _ => ApiProblems.Conflict(result.Reason),
    };

    private static ValidationProblem Invalid(LicenceResult result) => TypedResults.ValidationProblem(result.Errors, title: "The licence was not changed");

    private static bool Bad(ApiParameters p, string name, string expected)
    {
        p.Error(name, $"must be {expected}");
        return false;
    }

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
