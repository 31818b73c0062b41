using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EquipmentIoT.Cloud.Tests.Postgres;

/// <summary>Authentication with a password file, migrations under concurrency, and the service registration.</summary>
[Collection(PostgresServerGroup.Name)]
public sealed class PostgresDatabaseTests(PostgresFixture fixture) : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string _directory = Directory.CreateTempSubdirectory("eqiot-pg-test-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RunAsync_PasswordFromFile_AuthenticatesAndTheNameHoldsNoPassword()
    {
        var server = fixture.Server;
        var name = await server.CreateDatabaseAsync();
        var file = Path.Combine(_directory, "pg-password");
        await File.WriteAllTextAsync(file, server.Password + "\n");
        await using var database = new PostgresDatabase(new PostgresOptions { ConnectionString = server.PasswordUserConnectionString(name), PasswordFile = file });

        var ledger = new PostgresTelemetryLedger(database);
        await ledger.InitializeAsync(None);

        Assert.Equal(0, await ledger.CountBatchesAsync(None));
        Assert.DoesNotContain(server.Password, database.Name, StringComparison.Ordinal);
        Assert.Contains(PostgresServerPasswordUser, database.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WrongPassword_FailsAtOnceWithAnAuthenticationError()
    {
        var server = fixture.Server;
        var name = await server.CreateDatabaseAsync();
        var file = Path.Combine(_directory, "wrong-password");
        await File.WriteAllTextAsync(file, "not-the-password");
        await using var database = new PostgresDatabase(new PostgresOptions
        {
            ConnectionString = server.PasswordUserConnectionString(name),
            PasswordFile = file,
            RetryTimeout = TimeSpan.FromMinutes(5),
        });

        var e = await Assert.ThrowsAsync<PostgresException>(() => new PostgresAuditLog(database).InitializeAsync(None));

        Assert.Equal(PostgresErrorCodes.InvalidPassword, e.SqlState);
        Assert.DoesNotContain("not-the-password", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MissingPasswordFile_NamesTheFile()
    {
        var missing = Path.Combine(_directory, "absent");
        var e = Assert.Throws<InvalidOperationException>(() =>
            new PostgresDatabase(new PostgresOptions { ConnectionString = "Host=127.0.0.1;Database=x;Username=y", PasswordFile = missing }));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitializeAsync_FourInstancesAtOnce_ApplyEachStepOnce()
    {
        var options = await fixture.NewDatabaseOptionsAsync();
        var databases = Enumerable.Range(0, 4).Select(_ => new PostgresDatabase(options)).ToList();
        try
        {
            await Task.WhenAll(databases.Select(d => new PostgresTelemetryLedger(d).InitializeAsync(None)));
            await Task.WhenAll(databases.Select(d => new PostgresRegistryStore(d).InitializeAsync(None)));

            Assert.Equal(PostgresLedgerSchema.Migrations[^1].Version, await PostgresMigrator.CurrentVersionAsync(databases[0], "ledger", None));
            Assert.Equal(1, await PostgresMigrator.CurrentVersionAsync(databases[0], PostgresRegistryStore.Component, None));
        }
        finally
        {
            foreach (var d in databases) await d.DisposeAsync();
        }
    }

    [Fact]
    public async Task AddPostgresRecordStores_FromConfiguration_RegistersAndMigratesTheRecordStores()
    {
        var options = await fixture.NewDatabaseOptionsAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Postgres:ConnectionString"] = options.ConnectionString,
            ["Storage:Postgres:CommandTimeout"] = "00:00:20",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddPostgresRecordStores(configuration);
        await using var provider = services.BuildServiceProvider();

        await provider.InitializeStoresAsync(None);

        var initializers = provider.GetServices<IStoreInitializer>().Cast<object>().ToList();
        Assert.Equal(6, initializers.Count);
        Assert.Contains((object)provider.GetRequiredService<EquipmentIoT.Cloud.Licences.ILicenceStore>(), initializers);
        Assert.Contains((object)provider.GetRequiredService<EquipmentIoT.Cloud.Alarms.IAlarmStore>(), initializers);
        Assert.Contains((object)provider.GetRequiredService<ITelemetryLedger>(), initializers);
        Assert.Contains((object)provider.GetRequiredService<IRegistryStore>(), initializers);
        Assert.Contains((object)provider.GetRequiredService<IAuditLog>(), initializers);
        Assert.Contains((object)provider.GetRequiredService<IApiTokenStore>(), initializers);
        Assert.IsType<PostgresTelemetryLedger>(provider.GetRequiredService<ITelemetryLedger>());
        Assert.Empty(await provider.GetRequiredService<IRegistryStore>().ListAgentsAsync(None));
    }

    private const string PostgresServerPasswordUser = EquipmentIoT.Testing.PostgresServer.PasswordUser;
}
