using EquipmentIoT.Cloud.Storage.Influx;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EquipmentIoT.Cloud.Tests.Storage.Influx;

/// <summary>One private influxd for a test class (each test takes a fresh database from it).</summary>
public class InfluxServerFixture : IAsyncLifetime
{
    private InfluxServer? _server;

    public InfluxServer Server => _server ?? throw new InvalidOperationException("the fixture is not initialized");

    /// <summary>Whether the server requires authentication (an admin user is created).</summary>
    protected virtual bool Authentication => false;

    public async Task InitializeAsync() => _server = await InfluxServer.StartAsync(Authentication);

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>Options for a fresh database on the server, with short retry delays for tests.</summary>
    public async Task<InfluxOptions> NewDatabaseAsync(Action<InfluxOptions>? configure = null)
    {
        var options = new InfluxOptions
        {
            Url = Server.Uri,
            Database = await Server.CreateDatabaseAsync(),
            RetryInitialDelay = TimeSpan.FromMilliseconds(10),
            RetryMaxDelay = TimeSpan.FromMilliseconds(50),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>An initialized store on a fresh database.</summary>
    public async Task<InfluxSeriesStore> NewStoreAsync(Action<InfluxOptions>? configure = null)
    {
        var store = InfluxSeriesStore.Create(await NewDatabaseAsync(configure), NullLoggerFactory.Instance);
        try
        {
            await store.InitializeAsync(CancellationToken.None);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }
}

/// <summary>A private influxd with authentication on.</summary>
public sealed class AuthenticatedInfluxServerFixture : InfluxServerFixture
{
    protected override bool Authentication => true;
}
