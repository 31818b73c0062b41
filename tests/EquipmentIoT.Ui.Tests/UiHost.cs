using EquipmentIoT.Cloud.Hosting;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;

namespace EquipmentIoT.Ui.Tests;

/// <summary>
/// The cloud's API and web UI in-process on Kestrel at a free 127.0.0.1 port, on real SQLite stores in a temp directory, with
/// demo-like data (<see cref="UiSeed"/>) and one user per role. The clock stands still at <see cref="Now"/> (licence bands,
/// "last seen") while the cookie's expiry runs on real time.
/// </summary>
public sealed class UiHost : IAsyncDisposable
{
    /// <summary>The data's "now": 2026-12-02 10:00 in Shanghai.</summary>
    public static readonly Instant Now = Instant.FromUtc(2026, 12, 2, 2, 0);

    private readonly string _dir;

    private UiHost(string dir, WebApplication app, Uri address, UiSeed seed)
    {
        _dir = dir;
        App = app;
        Address = address;
        Seed = seed;
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public UiSeed Seed { get; }

    public T Get<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<UiHost> StartAsync()
    {
        var dir = Directory.CreateTempSubdirectory("eqiot-ui-").FullName;
        try
        {
            var port = FreePort.Next();
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = dir });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Cloud:DataDirectory"] = dir,
                ["Builds:Gtin"] = "09506000134352",
                ["WebUi:LiveRefresh"] = "00:00:01",
            });
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<IClock>(new FakeClock(Now));
            builder.Services.AddCloudPages(builder.Configuration, dir);
            var app = builder.Build();
            app.MapPages();
            await app.Services.InitializeStoresAsync(CancellationToken.None);
            await app.StartAsync();
            var seed = await UiSeed.WriteAsync(app.Services, Now);
            return new UiHost(dir, app, new Uri($"http://127.0.0.1:{port}"), seed);
        }
        catch
        {
            Directory.Delete(dir, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
