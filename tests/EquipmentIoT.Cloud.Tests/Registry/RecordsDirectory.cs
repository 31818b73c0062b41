using System.Security.Cryptography;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using EquipmentIoT.Protocols.Telemetry.Jose;

namespace EquipmentIoT.Cloud.Tests.Registry;

/// <summary>A temp directory with records.db and the three record stores on it, migrated.</summary>
public sealed class RecordsDirectory : IRecordStores
{
    public string Path { get; } = Directory.CreateTempSubdirectory("eqiot-records-").FullName;

    public SqliteDatabase Database => new(System.IO.Path.Combine(Path, SqliteRecordStores.RecordsFileName));

    public SqliteRegistryStore Registry { get; private set; } = null!;

    public SqliteAuditLog Audit { get; private set; } = null!;

    public SqliteApiTokenStore Tokens { get; private set; } = null!;

    IRegistryStore IRecordStores.Registry => Registry;

    IAuditLog IRecordStores.Audit => Audit;

    IApiTokenStore IRecordStores.Tokens => Tokens;

    public string[] AuditLogSource => ["cloud", "EquipmentIoT.Cloud", "Storage", "Sqlite", "SqliteAuditLog.cs"];

    public IApiTokenStore NewTokenStore() => new SqliteApiTokenStore(Database);

    public async Task<long> SchemaVersionAsync(string component)
    {
        await using var c = await Database.OpenAsync(CancellationToken.None);
        return await SqliteMigrator.CurrentVersionAsync(c, null, component, CancellationToken.None);
    }

    public async Task ExecuteRawAsync(string sql)
    {
        await using var c = await Database.OpenAsync(CancellationToken.None);
        await using var command = c.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<string[]>> TokenRowsAsync()
    {
        await using var c = await Database.OpenAsync(CancellationToken.None);
        await using var dump = c.CreateCommand();
        dump.CommandText = "SELECT name, role, hex(hash), created FROM api_tokens ORDER BY id";
        var rows = new List<string[]>();
        await using var r = await dump.ExecuteReaderAsync();
        while (await r.ReadAsync()) rows.Add([r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)]);
        return rows;
    }

    public async Task InitializeAsync()
    {
        var db = Database;
        Registry = new SqliteRegistryStore(db);
        Audit = new SqliteAuditLog(db);
        Tokens = new SqliteApiTokenStore(db);
        await Registry.InitializeAsync(CancellationToken.None);
        await Audit.InitializeAsync(CancellationToken.None);
        await Tokens.InitializeAsync(CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A fresh P-256 public key PEM and its kid.</summary>
    public static (string Pem, string Kid) NewKey()
    {
        using var key = AgentKeys.Generate();
        return (AgentKeys.ExportPublicKeyPem(key), JwkThumbprint.Compute(key));
    }

    /// <summary>An RSA public key PEM (the wrong algorithm).</summary>
    public static string RsaPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>A P-384 public key PEM (the wrong curve).</summary>
    public static string P384Pem()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        return ec.ExportSubjectPublicKeyInfoPem();
    }
}
