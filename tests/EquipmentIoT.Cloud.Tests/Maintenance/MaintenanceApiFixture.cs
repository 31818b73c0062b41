using EquipmentIoT.Cloud.Api;
using EquipmentIoT.Cloud.Api.Auditing;
using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Api.Endpoints;
using EquipmentIoT.Cloud.Builds;
using EquipmentIoT.Cloud.Maintenance;
using EquipmentIoT.Cloud.Notifications;
using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Tests.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EquipmentIoT.Cloud.Tests.Maintenance;

/// <summary>
/// The API with maintenance registered (AddMaintenance) and its endpoints under /api/v1 with the API's authorization and audit filter, on
/// real record stores; the ledger and series store are stubs; notices are recorded.
/// </summary>
public sealed class MaintenanceApiFixture : IAsyncLifetime
{
    public ApiHost Host { get; private set; } = null!;

    internal RecordingNotifier Notifier { get; } = new();

    public async Task InitializeAsync()
    {
        var stubs = new StubTelemetryStores();
        Host = await ApiHost.StartAsync((services, dir) =>
        {
            services.AddSingleton<ITelemetryLedger>(stubs);
            services.AddSingleton<ISeriesStore>(stubs);
            services.AddSingleton<IMaintenanceNotifier>(Notifier);
            // The API maps the build endpoints, which need the build store.
            services.AddBuilds(dir, runRecorder: false);
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Cloud:DataDirectory"] = dir,
                ["Maintenance:RepairRules:0"] = "ct.*",
            }).Build();
            services.AddMaintenance(configuration);
            // The API maps the alarm endpoints too, which need the rules and the outbox.
            services.AddNotifications(configuration);
            services.AddRules(configuration);
        });
        var registry = Host.Get<IRegistryStore>();
        await registry.SaveSiteAsync(new SiteRecord("site-sh", "Shanghai", "Asia/Shanghai"), CancellationToken.None);
        foreach (var device in new[] { "ct-01", "ct-02", "ct-03", "mr-01" })
            await registry.SaveAssetAsync(device, new AssetRecord(DeviceClass: device[..2].ToUpperInvariant(), Site: "site-sh"), CancellationToken.None);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
