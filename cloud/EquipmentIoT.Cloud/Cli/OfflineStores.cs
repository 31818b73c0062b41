using EquipmentIoT.Cloud.Hosting;
using EquipmentIoT.Cloud.Storage;
using NodaTime;

namespace EquipmentIoT.Cloud.Cli;

/// <summary>The record stores of a data directory, opened (and migrated) for one command-line action.</summary>
internal sealed class OfflineStores : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private OfflineStores(ServiceProvider services)
    {
        _services = services;
        Registry = services.GetRequiredService<IRegistryStore>();
        Tokens = services.GetRequiredService<IApiTokenStore>();
        Audit = services.GetRequiredService<IAuditLog>();
    }

    public IRegistryStore Registry { get; }

    public IApiTokenStore Tokens { get; }

    public IAuditLog Audit { get; }

    public IClock Clock { get; } = SystemClock.Instance;

    public static async Task<OfflineStores> OpenAsync(string? dataDirectory, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        // The same storage settings as `eqiot cloud run` takes from its environment (EQIOT_Storage__Records=postgres, …).
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables("EQIOT_").Build();
        services.AddCloudStores(configuration, CloudPaths.Resolve(dataDirectory));
        var provider = services.BuildServiceProvider();
        try
        {
            await provider.InitializeStoresAsync(cancellationToken).ConfigureAwait(false);
            return new OfflineStores(provider);
        }
        catch
        {
            await provider.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Writes a command-line action to the audit log (actor "cli", the local user as remote).</summary>
    public Task AuditAsync(string action, string? target) =>
        Audit.AppendAsync(new AuditEntry(Clock.GetCurrentInstant(), "cli", Role.Admin.ToString().ToLowerInvariant(), action, target, "ok",
            $"local:{Environment.UserName}"), CancellationToken.None);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
