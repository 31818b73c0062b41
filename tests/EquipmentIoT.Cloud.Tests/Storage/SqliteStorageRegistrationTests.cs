using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace EquipmentIoT.Cloud.Tests.Storage;

public sealed class SqliteStorageRegistrationTests
{
    [Fact]
    public async Task AddSqliteTelemetryStores_InitializeStoresAsync_MigratesBothFilesAndSharesOneInstancePerStore()
    {
        await using var ctx = new StoreTestContext();
        var services = new ServiceCollection().AddLogging().AddSqliteTelemetryStores(ctx.Path);
        await using var provider = services.BuildServiceProvider();

        await provider.InitializeStoresAsync(CancellationToken.None);

        Assert.True(File.Exists(SqliteDataFiles.RecordsPath(ctx.Path)));
        Assert.True(File.Exists(SqliteDataFiles.SeriesPath(ctx.Path)));
        var initializers = provider.GetServices<IStoreInitializer>().Cast<object>().ToList();
        Assert.Contains((object)provider.GetRequiredService<ITelemetryLedger>(), initializers);
        Assert.Contains((object)provider.GetRequiredService<ISeriesStore>(), initializers);
        Assert.Same(provider.GetRequiredService<ITelemetryLedger>(), provider.GetRequiredService<SqliteTelemetryLedger>());
        Assert.Equal(0, await provider.GetRequiredService<ITelemetryLedger>().CountBatchesAsync(CancellationToken.None));
    }
}
