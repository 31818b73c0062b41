using EquipmentIoT.Cloud.Storage;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Registry;

public sealed class SqliteRegistryStoreAgentTests : RegistryStoreAgentContract
{
    internal override IRecordStores NewStores() => new RecordsDirectory();
}

public sealed class SqliteRegistryStoreDeviceTests : RegistryStoreDeviceContract
{
    internal override IRecordStores NewStores() => new RecordsDirectory();
}

public sealed class SqliteAuditLogTests : AuditLogContract
{
    internal override IRecordStores NewStores() => new RecordsDirectory();
}

public sealed class SqliteApiTokenStoreTests : ApiTokenStoreContract
{
    internal override IRecordStores NewStores() => new RecordsDirectory();

    [Fact]
    public async Task CreateAsync_TheDatabaseFile_HoldsNoSecret()
    {
        var dir = new RecordsDirectory();
        await dir.InitializeAsync();
        try
        {
            var created = await dir.Tokens.CreateAsync("ci", Role.Admin, Instant.FromUtc(2026, 3, 1, 8, 0), null, CancellationToken.None);
            var bytes = await File.ReadAllBytesAsync(dir.Database.Path);
            Assert.DoesNotContain(created.Token["eqt_".Length..], System.Text.Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
        }
        finally
        {
            await dir.DisposeAsync();
        }
    }
}
