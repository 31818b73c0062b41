using EquipmentIoT.Bench.Records;
using EquipmentIoT.Cloud.Hosting;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace EquipmentIoT.Bench.Ui;

/// <summary>
/// The cloud's API and web UI in this process on Kestrel at a free 127.0.0.1 port, on the stores the configuration picks, composed
/// as the UI tests compose it (tests/EquipmentIoT.Ui.Tests/UiHost.cs). The clock is the benchmark's: set while seeding, then still.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class UiBenchHost : IAsyncDisposable
{
    private UiBenchHost(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public T Get<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    /// <param name="storage">Extra configuration: <c>Storage:Series</c>, <c>Storage:Records</c> and their sections (empty: SQLite).</param>
    public static async Task<UiBenchHost> StartAsync(string dataDirectory, SettableClock clock, IReadOnlyDictionary<string, string?> storage,
        CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = dataDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cloud:DataDirectory"] = dataDirectory,
            ["Builds:Gtin"] = "09506000134352",
        });
        builder.Configuration.AddInMemoryCollection(storage);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IClock>(clock);
        // The stores `eqiot cloud run` would pick from the same configuration (SQLite, InfluxDB, PostgreSQL).
        builder.Services.AddCloudPages(builder.Configuration, dataDirectory);
        var app = builder.Build();
        try
        {
            app.MapPages();
            await app.Services.InitializeStoresAsync(cancellationToken).ConfigureAwait(false);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return new UiBenchHost(app, new Uri($"http://127.0.0.1:{port}"));
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
    }
}
