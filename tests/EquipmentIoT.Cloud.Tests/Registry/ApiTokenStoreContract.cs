using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Registry;

/// <summary>The behaviour every implementation shares (derived once per database).</summary>
public abstract class ApiTokenStoreContract : IAsyncLifetime
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 1, 8, 0);
    private IRecordStores _dir = null!;

    /// <summary>Fresh, empty record stores for one test (not yet initialised).</summary>
    internal abstract IRecordStores NewStores();

    public Task InitializeAsync() => (_dir = NewStores()).InitializeAsync();

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
        var row = Assert.Single(await _dir.TokenRowsAsync());
        var secret = created.Token["eqt_".Length..];
        Assert.All(row, value => Assert.DoesNotContain(secret, value, StringComparison.Ordinal));
        Assert.Equal(64, row[2].Length);
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
        await ((IStoreInitializer)_dir.Tokens).InitializeAsync(CancellationToken.None);
        await ((IStoreInitializer)_dir.NewTokenStore()).InitializeAsync(CancellationToken.None);
        Assert.Equal(1, await _dir.SchemaVersionAsync(SqliteApiTokenStore.Component));
    }
}
