using System.Net.Http.Headers;
using System.Text.Json;
using EquipmentIoT.Cloud.Api;
using EquipmentIoT.Cloud.Builds;
using EquipmentIoT.Cloud.Licences;
using EquipmentIoT.Cloud.Maintenance;
using EquipmentIoT.Cloud.Notifications;
using EquipmentIoT.Cloud.Notifications.Outbox;
using EquipmentIoT.Cloud.Rules;
using Microsoft.Extensions.Configuration;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;

namespace EquipmentIoT.Cloud.Tests.Api;

/// <summary>
/// The API as the host builds it (AddSqliteRecordStores + AddCloudApi + MapCloudApi) on a TestServer, with real
/// SQLite record stores in a temp directory and one token per role.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    public static readonly Instant Start = Instant.FromUtc(2026, 3, 2, 12, 0);

    private readonly string _dir;

    private ApiHost(string dir, WebApplication app, FakeClock clock, Dictionary<Role, string> tokens)
    {
        _dir = dir;
        App = app;
        Clock = clock;
        Tokens = tokens;
    }

    public WebApplication App { get; }

    public FakeClock Clock { get; }

    public IReadOnlyDictionary<Role, string> Tokens { get; }

    public IServiceProvider Services => App.Services;

    public T Get<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    public static JsonSerializerOptions Json { get; } = CreateJson();

    /// <summary>
    /// Starts the API; <paramref name="configure"/> registers the ledger and series store (and may replace others); <paramref name="map"/>
    /// maps endpoints the API does not map yet (a part still to be wired into it).
    /// </summary>
    public static async Task<ApiHost> StartAsync(Action<IServiceCollection, string> configure, Instant? now = null, Action<WebApplication>? map = null)
    {
        var dir = Directory.CreateTempSubdirectory("eqiot-api-").FullName;
        var clock = new FakeClock(now ?? Start);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IClock>(clock);
        builder.Services.AddSqliteRecordStores(dir);
        configure(builder.Services, dir);
        AddApiParts(builder.Services, dir);
        builder.Services.AddCloudApi();
        var app = builder.Build();
        app.MapCloudApi();
        map?.Invoke(app);
        await app.Services.InitializeStoresAsync(CancellationToken.None);
        await app.StartAsync();

        var store = app.Services.GetRequiredService<IApiTokenStore>();
        var tokens = new Dictionary<Role, string>();
        foreach (var role in Enum.GetValues<Role>())
            tokens[role] = (await store.CreateAsync($"{role.ToString().ToLowerInvariant()}-token", role, clock.GetCurrentInstant(), null, CancellationToken.None)).Token;
        return new ApiHost(dir, app, clock, tokens);
    }

    /// <summary>
    /// The parts whose endpoints the API maps (build records, notifications, rules and alarms, maintenance) on SQLite in
    /// <paramref name="dir"/>, for those the test did not register itself; background loops of build records stay off.
    /// </summary>
    private static void AddApiParts(IServiceCollection services, string dir)
    {
        bool Has<T>() => services.Any(d => d.ServiceType == typeof(T));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Cloud:DataDirectory"] = dir }).Build();
        if (!Has<IBuildStore>()) services.AddBuilds(dir, runRecorder: false);
        if (!Has<INotificationStore>()) services.AddNotifications(configuration);
        if (!Has<RuleRuntime>()) services.AddRules(configuration);
        if (!Has<IMaintenanceStore>()) services.AddMaintenance(configuration);
        if (!Has<ILicenceStore>()) services.AddLicences();
    }

    /// <summary>A client sending the token of <paramref name="role"/> (none when null).</summary>
    public HttpClient Client(Role? role)
    {
        var client = App.GetTestClient();
        if (role is { } r) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens[r]);
        return client;
    }

    /// <summary>A client sending <paramref name="token"/> as its bearer token.</summary>
    public HttpClient ClientWith(string token)
    {
        var client = App.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        CloudApi.Configure(options);
        return options;
    }
}
