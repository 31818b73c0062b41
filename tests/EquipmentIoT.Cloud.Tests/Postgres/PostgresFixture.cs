using EquipmentIoT.Cloud.Storage.Postgres;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Cloud.Tests.Postgres;

/// <summary>One real PostgreSQL server shared by the tests of the "postgres" collection; each test makes its own database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A fresh database and options for it (as the trusted superuser, a short retry budget for tests).</summary>
    public async Task<PostgresOptions> NewDatabaseOptionsAsync() => new()
    {
        ConnectionString = Server.ConnectionString(await Server.CreateDatabaseAsync()),
        RetryTimeout = TimeSpan.FromSeconds(30),
    };
}

/// <summary>The tests that share <see cref="PostgresFixture"/>'s server (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresServerGroup : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
