using EquipmentIoT.Cloud.Builds;
using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace EquipmentIoT.Cloud.Web.Pages;

/// <summary>Build records newest first, paged by start time (older ones behind a link), optionally of one printer.</summary>
public sealed class BuildsModel(IBuildStore store, IRegistryStore registry) : UiPageModel
{
    private const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Device { get; set; }

    /// <summary>Builds started before this instant (Unix ms).</summary>
    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public IReadOnlyList<BuildRecord> Builds { get; private set; } = [];

    public long? Next { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Ui.KnowDevices(await registry.ListDevicesAsync(new DeviceQuery(Limit: 10_000), cancellationToken));
        var to = Before is { } b ? Instant.FromUnixTimeMilliseconds(b) : (Instant?)null;
        Builds = await store.ListAsync(new BuildQuery(Device: string.IsNullOrWhiteSpace(Device) ? null : Device, To: to, Limit: PageSize), cancellationToken);
        if (Builds.Count == PageSize) Next = Builds[^1].Started.ToUnixTimeMilliseconds();
    }
}
