using EquipmentIoT.Cloud.Storage;

namespace EquipmentIoT.Cloud.Tests.Registry;

/// <summary>The three record stores on one fresh store, whatever the database, and the raw access the contracts need.</summary>
internal interface IRecordStores : IAsyncLifetime
{
    IRegistryStore Registry { get; }

    IAuditLog Audit { get; }

    IApiTokenStore Tokens { get; }

    /// <summary>Another token store instance on the same store (as a second process would open).</summary>
    IApiTokenStore NewTokenStore();

    /// <summary>A component's schema version in schema_migrations.</summary>
    Task<long> SchemaVersionAsync(string component);

    /// <summary>Runs a statement as any client of the database would (not through a store).</summary>
    Task ExecuteRawAsync(string sql);

    /// <summary>Every api_tokens row as text: name, role, the hash in hex, created.</summary>
    Task<IReadOnlyList<string[]>> TokenRowsAsync();

    /// <summary>The audit log implementation's source file, as path segments from the repository root.</summary>
    string[] AuditLogSource { get; }
}
