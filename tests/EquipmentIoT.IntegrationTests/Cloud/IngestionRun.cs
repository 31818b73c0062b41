using EquipmentIoT.Cloud.Ingestion;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.IntegrationTests.Cloud;

/// <summary>
/// One ingestion instance under test: a generic host with <c>AddIngestion</c> and the real stores on a data
/// directory (shared by several instances when they are given the same one), started against a broker,
/// stopped cleanly or abandoned (disposed without a clean stop), and started again on the same data.
/// </summary>
internal sealed class IngestionRun : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly IHost host;

    private IngestionRun(IHost host) => this.host = host;

    public IServiceProvider Services => host.Services;

    public ITelemetryLedger Ledger => host.Services.GetRequiredService<ITelemetryLedger>();

    public ISeriesStore Series => host.Services.GetRequiredService<ISeriesStore>();

    public IRegistryStore Registry => host.Services.GetRequiredService<IRegistryStore>();

    public IngestionMetrics Metrics => host.Services.GetRequiredService<IngestionMetrics>();

    /// <summary>Builds, initialises the stores and starts an instance; returns once it is subscribed.</summary>
    public static async Task<IngestionRun> StartAsync(MosquittoBroker broker, string dataDirectory, string instance = "1",
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var values = new Dictionary<string, string?>
        {
            ["Ingestion:Broker"] = $"mqtt://{broker.Host}:{broker.Port}",
            ["Ingestion:InstanceName"] = instance,
            ["Ingestion:MaxReconnectDelay"] = "00:00:00.500",
            ["Ingestion:ResendInterval"] = "00:00:01",
            ["Ingestion:ResendCheckInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        builder.Configuration.AddInMemoryCollection(values);
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        CloudTestStores.Add(builder.Services, dataDirectory);
        builder.Services.AddIngestion(builder.Configuration);
        var host = builder.Build();
        try
        {
            await CloudTestStores.InitializeAsync(host.Services, CancellationToken.None);
            await host.StartAsync();
            await host.Services.GetRequiredService<IngestionService>().Subscribed.WaitAsync(StartTimeout);
            return new IngestionRun(host);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>A clean stop: DISCONNECT, the group being committed finishes.</summary>
    public Task StopAsync() => host.StopAsync();

    /// <summary>Abandons the instance mid-stream: disposed without a clean stop (no StopAsync).</summary>
    public void Abandon() => host.Dispose();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await host.StopAsync();
        }
        catch (ObjectDisposedException)
        {
            // Abandoned already.
        }
        host.Dispose();
    }
}
