using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Registry;

public sealed class SqliteApiTokenStoreTests : IAsyncLifetime
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 1, 8, 0);
    private readonly RecordsDirectory _dir = new();

    public Task InitializeAsync() => _dir.InitializeAsync();

    public Task DisposeAsync() => _dir.DisposeAsync();

    [Fact]
    public async Task CreateAsync_NewToken_HasThePrefixAndValidatesToItsRecord()
    {
        var created = await _dir.Tokens.CreateAsync("grafana", Role.Auditor, T0, null, CancellationToken.None);
        Assert.StartsWith("eqt_", created.Token, StringComparison.Ordinal);
        Assert.Equal(SqliteApiTokenStore.TokenLength, created.Token.Length);
        var record = await _dir.Tokens.ValidateAsync(created.Token, T0, CancellationToken.None);
        Assert.Equal(created.Record, record);
        Assert.Equal(Role.Auditor, record!.Role);
    }

    [Fact]
    public async Task CreateAsync_StoresOnlyTheHash()
    {
        var created = await _dir.Tokens.CreateAsync("ci", Role.Admin, T0, null, CancellationToken.None);
        await using var c = await _dir.Database.OpenAsync(CancellationToken.None);
        await using var dump = c.CreateCommand();
        dump.CommandText = "SELECT name, role, hex(hash), created FROM api_tokens";
        await using var r = await dump.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        var secret = created.Token["eqt_".Length..];
        for (var i = 0; i < r.FieldCount; i++) Assert.DoesNotContain(secret, r.GetString(i), StringComparison.Ordinal);
        Assert.Equal(64, r.GetString(2).Length);
        var bytes = await File.ReadAllBytesAsync(_dir.Database.Path);
        Assert.DoesNotContain(secret, System.Text.Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAsync_TokenDifferingInOneCharacter_IsRefused()
    {
        var created = await _dir.Tokens.CreateAsync("ci", Role.Admin, T0, null, CancellationToken.None);
        var last = created.Token[^1];
        var forged = created.Token[..^1] + (last == 'A' ? 'B' : 'A');
        Assert.Null(await _dir.Tokens.ValidateAsync(forged, T0, CancellationToken.None));
        Assert.Null(await _dir.Tokens.ValidateAsync(created.Token + "x", T0, CancellationToken.None));
        Assert.Null(await _dir.Tokens.ValidateAsync("Bearer " + created.Token, T0, CancellationToken.None));
        Assert.Null(await _dir.Tokens.ValidateAsync("", T0, CancellationToken.None));
    }

    [Fact]
    public async Task ValidateAsync_AtAndAfterExpiry_IsRefused()
    {
        var created = await _dir.Tokens.CreateAsync("temp", Role.Operator, T0, T0 + Duration.FromDays(1), CancellationToken.None);
        Assert.NotNull(await _dir.Tokens.ValidateAsync(created.Token, T0 + Duration.FromDays(1) - Duration.Epsilon, CancellationToken.None));
        Assert.Null(await _dir.Tokens.ValidateAsync(created.Token, T0 + Duration.FromDays(1), CancellationToken.None));
        Assert.Null(await _dir.Tokens.ValidateAsync(created.Token, T0 + Duration.FromDays(2), CancellationToken.None));
    }

    [Fact]
    public async Task RevokeAsync_LiveToken_IsRefusedAfterwardsAndListedAsRevoked()
    {
        var created = await _dir.Tokens.CreateAsync("ci", Role.Admin, T0, null, CancellationToken.None);
        await _dir.Tokens.RevokeAsync(created.Record.Id, T0 + Duration.FromHours(1), CancellationToken.None);
        await _dir.Tokens.RevokeAsync(created.Record.Id, T0 + Duration.FromHours(2), CancellationToken.None);
        Assert.Null(await _dir.Tokens.ValidateAsync(created.Token, T0 + Duration.FromHours(1), CancellationToken.None));
        Assert.Equal(T0 + Duration.FromHours(1), Assert.Single(await _dir.Tokens.ListAsync(CancellationToken.None)).Revoked);
    }

    [Fact]
    public async Task RevokeAsync_UnknownId_IsRefused()
    {
        await Assert.ThrowsAsync<RegistryException>(() => _dir.Tokens.RevokeAsync(42, T0, CancellationToken.None));
    }

    [Fact]
    public async Task CreateAsync_LiveNameTaken_IsRefusedUntilRevoked()
    {
        var first = await _dir.Tokens.CreateAsync("ci", Role.Admin, T0, null, CancellationToken.None);
        await Assert.ThrowsAsync<RegistryException>(() => _dir.Tokens.CreateAsync("ci", Role.Auditor, T0, null, CancellationToken.None));
        await _dir.Tokens.RevokeAsync(first.Record.Id, T0, CancellationToken.None);
        var second = await _dir.Tokens.CreateAsync("ci", Role.Auditor, T0, null, CancellationToken.None);
        Assert.NotEqual(first.Token, second.Token);
    }

    [Fact]
    public async Task CreateAsync_ExpiryNotAfterCreation_IsRefused()
    {
        await Assert.ThrowsAsync<RegistryException>(() => _dir.Tokens.CreateAsync("x", Role.Admin, T0, T0, CancellationToken.None));
        await Assert.ThrowsAsync<RegistryException>(() => _dir.Tokens.CreateAsync("", Role.Admin, T0, null, CancellationToken.None));
    }

    [Fact]
    public async Task InitializeAsync_TwiceAndFromAnotherInstance_IsHarmless()
    {
        await _dir.Tokens.InitializeAsync(CancellationToken.None);
        var other = new SqliteApiTokenStore(_dir.Database);
        await other.InitializeAsync(CancellationToken.None);
        await using var c = await _dir.Database.OpenAsync(CancellationToken.None);
        Assert.Equal(1, await SqliteMigrator.CurrentVersionAsync(c, null, SqliteApiTokenStore.Component, CancellationToken.None));
    }
}
