using Microsoft.Extensions.DependencyInjection;

namespace EquipmentIoT.Cloud.Storage;

public static class StoreInitializerExtensions
{
    /// <summary>Runs every registered <see cref="IStoreInitializer"/> (migrations, writers), one after another.</summary>
    public static async Task InitializeStoresAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var store in services.GetServices<IStoreInitializer>()) await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
    }
}
