using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Maintenance;
using Microsoft.AspNetCore.Mvc;

namespace EquipmentIoT.Cloud.Web.Pages;

/// <summary>One work order with its transitions and the lifecycle's next steps for engineers, managers and admins (the four-eyes rule is the service's).</summary>
public sealed class WorkOrderModel(WorkOrderService workOrders) : UiPageModel
{
    public WorkOrderView? Order { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        Order = await workOrders.GetAsync(id, cancellationToken);
        return Order is null ? NotFound() : Page();
    }

    public Task<IActionResult> OnPostAssignAsync(long id, string? assignee, string? comment, CancellationToken cancellationToken) =>
        RunAsync(() => workOrders.AssignAsync(id, string.IsNullOrWhiteSpace(assignee) ? Actor : assignee.Trim(), Actor, Text(comment), cancellationToken));

    public Task<IActionResult> OnPostStartAsync(long id, string? comment, CancellationToken cancellationToken) =>
        RunAsync(() => workOrders.StartAsync(id, Actor, Text(comment), cancellationToken));

    public Task<IActionResult> OnPostDoneAsync(long id, string? notes, double hours, CancellationToken cancellationToken) =>
        RunAsync(() => workOrders.DoneAsync(id, new WorkDone(notes ?? "", hours), Actor, cancellationToken));

    public Task<IActionResult> OnPostVerifyAsync(long id, string? comment, CancellationToken cancellationToken) =>
        RunAsync(() => workOrders.VerifyAsync(id, Actor, Text(comment), cancellationToken));

    public Task<IActionResult> OnPostCancelAsync(long id, string? reason, CancellationToken cancellationToken) =>
        RunAsync(() => workOrders.CancelAsync(id, reason ?? "", Actor, cancellationToken));

    private async Task<IActionResult> RunAsync(Func<Task<MaintenanceResult<WorkOrderView>>> action)
    {
        if (!Can(ApiPolicies.WorkOrders)) return Denied();
        var result = await action();
        return Back(result.Success ? Ui.T("common.done") : Ui.T("common.refused") + result.Error, !result.Success);
    }

    private static string? Text(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
