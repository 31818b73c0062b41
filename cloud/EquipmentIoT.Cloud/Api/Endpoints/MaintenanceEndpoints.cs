using System.Security.Claims;
using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Api.Contracts;
using EquipmentIoT.Cloud.Maintenance;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace EquipmentIoT.Cloud.Api.Endpoints;

/// <summary>
/// Maintenance under <c>/maintenance</c>: plans and calibration items (managers change them), work orders (engineers, managers and admins
/// work them: open repairs, assign, start, done, verify by someone else, cancel), the overdue list, and the due computation run by hand.
/// Every role reads. Dates are local dates of each device's site; answers carry the site's time zone and local times.
/// </summary>
internal static class MaintenanceEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var m = api.MapGroup("/maintenance").WithTags("Maintenance");
        m.MapGet("/plans", ListPlansAsync).WithName("ListMaintenancePlans").WithSummary("Maintenance plans (of one device, or all)");
        m.MapGet("/plans/{id:long}", GetPlanAsync).WithName("GetMaintenancePlan")
            .WithSummary("A plan with its status: next occurrence and due date (calendar) or use counted so far (usage)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        m.MapPost("/plans", CreatePlanAsync).WithName("CreateMaintenancePlan")
            .WithSummary("Creates a calendar plan (every N months from an anchor date) or a usage plan (every N exams, scan seconds, laser hours, builds or counter hours)")
            .ProducesProblem(StatusCodes.Status400BadRequest).RequireAuthorization(ApiPolicies.ManageMaintenance);
        m.MapPut("/plans/{id:long}", UpdatePlanAsync).WithName("UpdateMaintenancePlan").WithSummary("Replaces a plan's fields (its device stays)")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).RequireAuthorization(ApiPolicies.ManageMaintenance);
        m.MapDelete("/plans/{id:long}", DeletePlanAsync).WithName("DeleteMaintenancePlan").WithSummary("Deletes a plan (its work orders stay)")
            .ProducesProblem(StatusCodes.Status404NotFound).RequireAuthorization(ApiPolicies.ManageMaintenance);

        m.MapGet("/work-orders", ListWorkOrdersAsync).WithName("ListWorkOrders")
            .WithSummary("Work orders newest first, filtered by device, state, kind, plan, and overdue=true (open and past the due day at the device's site)")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        m.MapGet("/work-orders/{id:long}", GetWorkOrderAsync).WithName("GetWorkOrder").WithSummary("A work order with every transition (who, when, comment)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        m.MapPost("/work-orders", CreateRepairAsync).WithName("CreateRepairWorkOrder").WithSummary("Opens a repair work order by hand")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(ApiPolicies.WorkOrders);
        MapCommand(m, "assign", "AssignWorkOrder", "Open or Assigned → Assigned to someone",
            (long id, AssignWorkOrderRequest request, ClaimsPrincipal user, WorkOrderService orders, CancellationToken ct) =>
                AnswerAsync(orders.AssignAsync(id, request.Assignee, Actor(user), request.Comment, ct)));
        MapCommand(m, "start", "StartWorkOrder", "Assigned → InProgress",
            (long id, WorkOrderCommentRequest request, ClaimsPrincipal user, WorkOrderService orders, CancellationToken ct) =>
                AnswerAsync(orders.StartAsync(id, Actor(user), request.Comment, ct)));
        MapCommand(m, "done", "CompleteWorkOrder", "InProgress → Done with notes, labour hours and parts used (a calibration moves its item on)",
            (long id, WorkOrderDoneRequest request, ClaimsPrincipal user, WorkOrderService orders, CancellationToken ct) =>
                AnswerAsync(orders.DoneAsync(id, new WorkDone(request.Notes, request.LabourHours, request.Parts, request.Certificate), Actor(user), ct)));
        MapCommand(m, "verify", "VerifyWorkOrder", "Done → Verified, by someone other than who did the work",
            (long id, WorkOrderCommentRequest request, ClaimsPrincipal user, WorkOrderService orders, CancellationToken ct) =>
                AnswerAsync(orders.VerifyAsync(id, Actor(user), request.Comment, ct)));
        MapCommand(m, "cancel", "CancelWorkOrder", "Open, Assigned or InProgress → Cancelled with a reason",
            (long id, CancelWorkOrderRequest request, ClaimsPrincipal user, WorkOrderService orders, CancellationToken ct) =>
                AnswerAsync(orders.CancelAsync(id, request.Reason, Actor(user), ct)));

        m.MapGet("/calibrations", ListCalibrationsAsync).WithName("ListCalibrationItems").WithSummary("Calibration items by due date (of one device, or all)");
        m.MapGet("/calibrations/{id:long}", GetCalibrationAsync).WithName("GetCalibrationItem").WithSummary("A calibration item")
            .ProducesProblem(StatusCodes.Status404NotFound);
        m.MapPost("/calibrations", CreateCalibrationAsync).WithName("CreateCalibrationItem")
            .WithSummary("Creates a calibration item: instrument, certificate, due date (or last calibration), interval in months, reminder lead")
            .ProducesProblem(StatusCodes.Status400BadRequest).RequireAuthorization(ApiPolicies.ManageMaintenance);
        m.MapPut("/calibrations/{id:long}", UpdateCalibrationAsync).WithName("UpdateCalibrationItem").WithSummary("Replaces a calibration item's fields")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).RequireAuthorization(ApiPolicies.ManageMaintenance);
        m.MapDelete("/calibrations/{id:long}", DeleteCalibrationAsync).WithName("DeleteCalibrationItem").WithSummary("Deletes a calibration item")
            .ProducesProblem(StatusCodes.Status404NotFound).RequireAuthorization(ApiPolicies.ManageMaintenance);

        m.MapGet("/overdue", OverdueAsync).WithName("ListOverdueMaintenance")
            .WithSummary("Open work orders and calibration items past their due day at their site, most overdue first");
        m.MapPost("/due/run", RunDueAsync).WithName("RunMaintenanceDue")
            .WithSummary("Runs the due computation now (as the hourly job does): opens due work orders, sends reminders and overdue notices once")
            .RequireAuthorization(ApiPolicies.ManageMaintenance);
    }

    private static void MapCommand(RouteGroupBuilder m, string verb, string name, string summary, Delegate handler) =>
        m.MapPost($"/work-orders/{{id:long}}/{verb}", handler).WithName(name).WithSummary(summary)
            .Produces<WorkOrderView>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(ApiPolicies.WorkOrders);

    private static async Task<Ok<IReadOnlyList<MaintenancePlan>>> ListPlansAsync(string? device, PlanService plans, CancellationToken cancellationToken) =>
        TypedResults.Ok(await plans.ListAsync(device, cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<PlanView>, ProblemHttpResult>> GetPlanAsync(long id, PlanService plans, CancellationToken cancellationToken) =>
        await plans.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } plan ? TypedResults.Ok(plan) : ApiProblems.NotFound($"no maintenance plan {id}");

    private static async Task<Results<Created<PlanView>, ProblemHttpResult>> CreatePlanAsync(PlanRequest request, ClaimsPrincipal user, PlanService plans,
        CancellationToken cancellationToken)
    {
        var result = await plans.CreateAsync(request, Actor(user), cancellationToken).ConfigureAwait(false);
        return result.Success ? TypedResults.Created($"{CloudApi.BasePath}/maintenance/plans/{result.Value.Plan.Id}", result.Value) : Problem(result);
    }

    private static Task<Results<Ok<PlanView>, ProblemHttpResult>> UpdatePlanAsync(long id, PlanRequest request, ClaimsPrincipal user, PlanService plans,
        CancellationToken cancellationToken) => AnswerAsync(plans.UpdateAsync(id, request, Actor(user), cancellationToken));

    private static async Task<Results<NoContent, ProblemHttpResult>> DeletePlanAsync(long id, ClaimsPrincipal user, PlanService plans,
        CancellationToken cancellationToken) => NoContentOr(await plans.DeleteAsync(id, Actor(user), cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<IReadOnlyList<WorkOrderView>>, ValidationProblem>> ListWorkOrdersAsync(string? device, string? state, string? kind,
        string? plan, string? overdue, string? limit, WorkOrderService orders, CancellationToken cancellationToken)
    {
        var p = new ApiParameters();
        var query = new WorkOrderQuery(device, p.Enum<WorkOrderState>("state", state), p.Enum<WorkOrderKind>("kind", kind),
            string.IsNullOrEmpty(plan) ? null : p.Int("plan", plan, 0, 1, int.MaxValue), Limit: p.Int("limit", limit, 100, 1, WorkOrderService.MaxList));
        var overdueOnly = p.Flag("overdue", overdue);
        if (p.Failed) return p.Problem();
        return TypedResults.Ok(await orders.ListAsync(query, overdueOnly, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<WorkOrderView>, ProblemHttpResult>> GetWorkOrderAsync(long id, WorkOrderService orders,
        CancellationToken cancellationToken) =>
        await orders.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } order ? TypedResults.Ok(order) : ApiProblems.NotFound($"no work order {id}");

    private static async Task<Results<Created<WorkOrderView>, ProblemHttpResult>> CreateRepairAsync(RepairRequest request, ClaimsPrincipal user,
        WorkOrderService orders, CancellationToken cancellationToken)
    {
        var result = await orders.CreateRepairAsync(request, Actor(user), cancellationToken).ConfigureAwait(false);
        return result.Success ? TypedResults.Created($"{CloudApi.BasePath}/maintenance/work-orders/{result.Value.WorkOrder.Id}", result.Value) : Problem(result);
    }

    private static async Task<Ok<IReadOnlyList<CalibrationView>>> ListCalibrationsAsync(string? device, PlanService plans, CancellationToken cancellationToken) =>
        TypedResults.Ok(await plans.ListCalibrationsAsync(device, cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<CalibrationView>, ProblemHttpResult>> GetCalibrationAsync(long id, PlanService plans,
        CancellationToken cancellationToken) =>
        await plans.GetCalibrationAsync(id, cancellationToken).ConfigureAwait(false) is { } item ? TypedResults.Ok(item) : ApiProblems.NotFound($"no calibration item {id}");

    private static async Task<Results<Created<CalibrationView>, ProblemHttpResult>> CreateCalibrationAsync(CalibrationRequest request, ClaimsPrincipal user,
        PlanService plans, CancellationToken cancellationToken)
    {
        var result = await plans.CreateCalibrationAsync(request, Actor(user), cancellationToken).ConfigureAwait(false);
        return result.Success ? TypedResults.Created($"{CloudApi.BasePath}/maintenance/calibrations/{result.Value.Item.Id}", result.Value) : Problem(result);
    }

    private static Task<Results<Ok<CalibrationView>, ProblemHttpResult>> UpdateCalibrationAsync(long id, CalibrationRequest request, ClaimsPrincipal user,
        PlanService plans, CancellationToken cancellationToken) => AnswerAsync(plans.UpdateCalibrationAsync(id, request, Actor(user), cancellationToken));

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteCalibrationAsync(long id, ClaimsPrincipal user, PlanService plans,
        CancellationToken cancellationToken) => NoContentOr(await plans.DeleteCalibrationAsync(id, Actor(user), cancellationToken).ConfigureAwait(false));

    private static async Task<Ok<OverdueView>> OverdueAsync(string? device, WorkOrderService orders, CancellationToken cancellationToken) =>
        TypedResults.Ok(await orders.OverdueAsync(device, cancellationToken).ConfigureAwait(false));

    private static async Task<Ok<DueRunReport>> RunDueAsync(MaintenanceDueService due, CancellationToken cancellationToken) =>
        TypedResults.Ok(await due.RunAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<T>, ProblemHttpResult>> AnswerAsync<T>(Task<MaintenanceResult<T>> pending)
    {
        var result = await pending.ConfigureAwait(false);
        return result.Success ? TypedResults.Ok(result.Value) : Problem(result);
    }

    private static Results<NoContent, ProblemHttpResult> NoContentOr(MaintenanceResult<long> result) =>
        result.Success ? TypedResults.NoContent() : Problem(result);

    // Bad input is a 400 listing every reason, a missing record a 404, a state that does not allow it a 409.
    private static ProblemHttpResult Problem<T>(MaintenanceResult<T> result) => result.Problem switch
    {
        MaintenanceProblem.NotFound => ApiProblems.NotFound(result.Error),
        MaintenanceProblem.Conflict => ApiProblems.Conflict(result.Error),
        _ => TypedResults.Problem(result.Error, statusCode: StatusCodes.Status400BadRequest, title: "Maintenance rule",
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["errors"] = result.Errors }),
    };

    private static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? throw new InvalidOperationException("an authorised request has a name");
}
