using System.Security.Cryptography;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using EquipmentIoT.Protocols.Telemetry.Jose;

namespace EquipmentIoT.Cloud.Tests.Registry;

/// <summary>A temp directory with records.db and the three record stores on it, migrated.</summary>
public sealed class RecordsDirectory : IAsyncLifetime
{
    public string Path { get; } = Directory.CreateTempSubdirectory("eqiot-records-").FullName;

    public SqliteDatabase Database => new(System.IO.Path.Combine(Path, SqliteRecordStores.RecordsFileName));

    public SqliteRegistryStore Registry { get; private set; } = null!;

    public SqliteAuditLog Audit { get; private set; } = null!;

    public SqliteApiTokenStore Tokens { get; private set; } = null!;

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
