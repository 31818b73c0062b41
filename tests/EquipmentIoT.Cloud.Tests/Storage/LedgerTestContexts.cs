using EquipmentIoT.Cloud.Storage;

namespace EquipmentIoT.Cloud.Tests.Storage;

/// <summary>One ledger test's world, whatever the database: signing agents and ledger instances on one fresh store.</summary>
internal interface ILedgerTestContext : IAsyncDisposable
{
    /// <summary>The default agent, "agent-01".</summary>
    TestAgent Agent { get; }

    TestAgent NewAgent(string id);

    /// <summary>A new ledger instance on this world's store (a second call is a second instance, as a second process would open).</summary>
    ITelemetryLedger Ledger();

    /// <summary>The "ledger" component's schema version in the store.</summary>
    Task<long> LedgerSchemaVersionAsync();
}

public sealed class SqliteTelemetryLedgerChainTests : TelemetryLedgerChainContract
{
    internal override Task<ILedgerTestContext> NewContextAsync() => Task.FromResult<ILedgerTestContext>(new StoreTestContext());
}

public sealed class SqliteTelemetryLedgerRecordsTests : TelemetryLedgerRecordsContract
{
    internal override Task<ILedgerTestContext> NewContextAsync() => Task.FromResult<ILedgerTestContext>(new StoreTestContext());
}

/// <summary>Two ledger instances (two writer connections, as two ingestion processes have) on the same records.db.</summary>
public sealed class SqliteTelemetryLedgerInstancesTests : TelemetryLedgerInstancesContract
{
    internal override Task<ILedgerTestContext> NewContextAsync() => Task.FromResult<ILedgerTestContext>(new StoreTestContext());
}
