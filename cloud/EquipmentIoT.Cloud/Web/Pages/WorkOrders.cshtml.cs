using EquipmentIoT.Cloud.Maintenance;
using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Mvc;

namespace EquipmentIoT.Cloud.Web.Pages;

/// <summary>Maintenance work orders: the open ones (default) or all, newest first, with overdue ones marked in their site's calendar.</summary>
public sealed class WorkOrdersModel(WorkOrderService workOrders, IRegistryStore registry) : UiPageModel
{
    private const int PageSize = 100;

    /// <summary>"all" shows closed orders too.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Show { get; set; }

    public IReadOnlyList<WorkOrderView> Orders { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Ui.KnowDevices(await registry.ListDevicesAsync(new DeviceQuery(Limit: 10_000), cancellationToken));
        Orders = await workOrders.ListAsync(new WorkOrderQuery(OpenOnly: Show != "all", Limit: PageSize), false, cancellationToken);
    }
}
