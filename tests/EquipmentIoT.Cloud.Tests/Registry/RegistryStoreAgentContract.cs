using EquipmentIoT.Cloud.Storage;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Registry;

/// <summary>The behaviour every implementation shares (derived once per database).</summary>
public abstract class RegistryStoreAgentContract : IAsyncLifetime
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 1, 8, 0);
    private IRecordStores _dir = null!;

    /// <summary>Fresh, empty record stores for one test (not yet initialised).</summary>
    internal abstract IRecordStores NewStores();

    public Task InitializeAsync() => (_dir = NewStores()).InitializeAsync();

    public Task DisposeAsync() => _dir.DisposeAsync();

    [Fact]
    public async Task AddAgentAsync_NewAgent_StoresItWithTheKeysThumbprintAsKid()
    {
        var (pem, kid) = RecordsDirectory.NewKey();
        var added = await _dir.Registry.AddAgentAsync(new NewAgent("agent-01", pem, "site-a", "MR room", T0), CancellationToken.None);
        Assert.Equal(kid, Assert.Single(added.Keys).Kid);

        var read = await _dir.Registry.GetAgentAsync("agent-01", CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal("site-a", read.Site);
        Assert.Equal("MR room", read.Description);
        Assert.Equal(T0, read.Registered);
        Assert.Null(read.LastSeen);
        Assert.Equal(kid, Assert.Single(read.Keys).Kid);
        Assert.Equal("agent-01", (await _dir.Registry.FindKeyAsync(kid, CancellationToken.None))!.AgentId);
    }

    [Fact]
    public async Task AddAgentAsync_SameIdTwice_IsRefused()
    {
        await _dir.Registry.AddAgentAsync(new NewAgent("agent-01", RecordsDirectory.NewKey().Pem, null, null, T0), CancellationToken.None);
        var e = await Assert.ThrowsAsync<RegistryException>(() =>
            _dir.Registry.AddAgentAsync(new NewAgent("agent-01", RecordsDirectory.NewKey().Pem, null, null, T0), CancellationToken.None));
        Assert.Contains("already registered", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAgentAsync_KeyOfAnotherAgent_IsRefusedAndNothingIsStored()
    {
        var (pem, kid) = RecordsDirectory.NewKey();
        await _dir.Registry.AddAgentAsync(new NewAgent("agent-01", pem, null, null, T0), CancellationToken.None);
        var e = await Assert.ThrowsAsync<RegistryException>(() =>
            _dir.Registry.AddAgentAsync(new NewAgent("agent-02", pem, null, null, T0), CancellationToken.None));
        Assert.Contains(kid, e.Message, StringComparison.Ordinal);
        Assert.Contains("agent-01", e.Message, StringComparison.Ordinal);
        Assert.Null(await _dir.Registry.GetAgentAsync("agent-02", CancellationToken.None));
    }

    [Theory]
    [InlineData("rsa", "RSA")]
    [InlineData("p384", "P-384")]
    [InlineData("garbage", "not PEM")]
    [InlineData("private", "private key")]
    [InlineData("empty", "missing")]
    public async Task AddAgentAsync_NotAP256PublicKey_IsRefusedNamingTheProblem(string kind, string expected)
    {
        using var ec = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var pem = kind switch
        {
            "rsa" => RecordsDirectory.RsaPem(),
            "p384" => RecordsDirectory.P384Pem(),
            "garbage" => "this is not a key",
            "private" => ec.ExportPkcs8PrivateKeyPem(),
            _ => "",
        };
        var e = await Assert.ThrowsAsync<RegistryException>(() =>
            _dir.Registry.AddAgentAsync(new NewAgent("agent-01", pem, null, null, T0), CancellationToken.None));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Null(await _dir.Registry.GetAgentAsync("agent-01", CancellationToken.None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("agent/01")]
    [InlineData("agent+")]
    [InlineData("agent#")]
    [InlineData("an agent")]
    public async Task AddAgentAsync_IdBreakingTheTopicRule_IsRefused(string id)
    {
        var e = await Assert.ThrowsAsync<RegistryException>(() =>
            _dir.Registry.AddAgentAsync(new NewAgent(id, RecordsDirectory.NewKey().Pem, null, null, T0), CancellationToken.None));
        Assert.Contains("[A-Za-z0-9._-]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddKeyAsync_Rotation_BothKeysListedAndLive()
    {
        var first = RecordsDirectory.NewKey();
        var second = RecordsDirectory.NewKey();
        await _dir.Registry.AddAgentAsync(new NewAgent("agent-01", first.Pem, null, null, T0), CancellationToken.None);
        var added = await _dir.Registry.AddKeyAsync("agent-01", second.Pem, T0 + Duration.FromDays(30), CancellationToken.None);
        Assert.Equal(second.Kid, added.Kid);
        var keys = await _dir.Registry.ListKeysAsync("agent-01", CancellationToken.None);
        Assert.Equal([first.Kid, second.Kid], keys.Select(k => k.Kid));
        Assert.All(keys, k => Assert.False(k.IsRevoked));
    }

    [Fact]
    public async Task AddKeyAsync_KidAlreadyRegistered_IsRefused()
    {
        var key = RecordsDirectory.NewKey();
        await _dir.Registry.AddAgentAsync(new NewAgent("agent-01", key.Pem, null, null, T0), CancellationToken.None);
        await _dir.Registry.AddAgentAsync(new NewAgent("agent-02", RecordsDirectory.NewKey().Pem, null, null, T0), CancellationToken.None);
        await Assert.ThrowsAsync<RegistryException>(() => _dir.Registry.AddKeyAsync("agent-01", key.Pem, T0, CancellationToken.None));
        await Assert.ThrowsAsync<RegistryException>(() => _dir.Registry.AddKeyAsync("agent-02", key.Pem, T0, CancellationToken.None));
        Assert.Single(await _dir.Registry.ListKeysAsync("agent-02", CancellationToken.None));
    }

    [Fact]
    public async Task AddKeyAsync_UnknownAgent_IsRefused()
    {
        var e = await Assert.ThrowsAsync<RegistryException>(() =>
            _dir.Registry.AddKeyAsync("nobody", RecordsDirectory.NewKey().Pem, T0, CancellationToken.None));
        Assert.Contains("no agent 'nobody'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeKeyAsync_LiveKey_MarksItRevokedWithReasonAndTime()
    {
        var key = RecordsDirectory.NewKey();
        await _dir.Registry.AddAgentAsync(new NewAgent("agent-01", key.Pem, null, null, T0), CancellationToken.None);
        var at = T0 + Duration.FromHours(1);
        var revoked = await _dir.Registry.RevokeKeyAsync(key.Kid, "laptop stolen", at, CancellationToken.None);
        Assert.True(revoked.IsRevoked);
        var found = await _dir.Registry.FindKeyAsync(key.Kid, CancellationToken.None);
        Assert.Equal(at, found!.Revoked);
        Assert.Equal("laptop stolen", found.RevokedReason);
    }

    [Fact]
    public async Task RevokeKeyAsync_Twice_KeepsTheFirstRevocation()
    {
        var key = RecordsDirectory.NewKey();
        await _dir.Registry.AddAgentAsync(new NewAgent("agent-01", key.Pem, null, null, T0), CancellationToken.None);
        await _dir.Registry.RevokeKeyAsync(key.Kid, "first", T0, CancellationToken.None);
        var again = await _dir.Registry.RevokeKeyAsync(key.Kid, "second", T0 + Duration.FromHours(1), CancellationToken.None);
        Assert.Equal("first", again.RevokedReason);
        Assert.Equal(T0, again.Revoked);
    }

    [Fact]
    public async Task RevokeKeyAsync_UnknownKidOrNoReason_IsRefused()
    {
        var key = RecordsDirectory.NewKey();
        await _dir.Registry.AddAgentAsync(new NewAgent("agent-01", key.Pem, null, null, T0), CancellationToken.None);
        await Assert.ThrowsAsync<RegistryException>(() => _dir.Registry.RevokeKeyAsync(RecordsDirectory.NewKey().Kid, "x", T0, CancellationToken.None));
        await Assert.ThrowsAsync<RegistryException>(() => _dir.Registry.RevokeKeyAsync(key.Kid, " ", T0, CancellationToken.None));
        Assert.False((await _dir.Registry.FindKeyAsync(key.Kid, CancellationToken.None))!.IsRevoked);
    }

    [Fact]
    public async Task TouchAsync_NewAndKnownDevices_CreatesThemAndMovesLastSeenOnlyForward()
    {
        await _dir.Registry.AddAgentAsync(new NewAgent("agent-01", RecordsDirectory.NewKey().Pem, null, null, T0), CancellationToken.None);
        await _dir.Registry.TouchAsync("agent-01", ["ct-01", "mr-01"], T0 + Duration.FromMinutes(10), CancellationToken.None);
        await _dir.Registry.TouchAsync("agent-01", ["ct-01"], T0 + Duration.FromMinutes(20), CancellationToken.None);
        await _dir.Registry.TouchAsync("agent-01", ["ct-01", "mr-01"], T0 + Duration.FromMinutes(5), CancellationToken.None);

        var ct = await _dir.Registry.GetDeviceAsync("ct-01", CancellationToken.None);
        var mr = await _dir.Registry.GetDeviceAsync("mr-01", CancellationToken.None);
        Assert.Equal("agent-01", ct!.AgentId);
        Assert.Equal(T0 + Duration.FromMinutes(10), ct.FirstSeen);
        Assert.Equal(T0 + Duration.FromMinutes(20), ct.LastSeen);
        Assert.Equal(T0 + Duration.FromMinutes(10), mr!.LastSeen);
        Assert.Equal(T0 + Duration.FromMinutes(20), (await _dir.Registry.GetAgentAsync("agent-01", CancellationToken.None))!.LastSeen);
    }

    [Fact]
    public async Task TouchAsync_DeviceWithAssetRecordOnly_KeepsTheAssetAndSetsFirstSeen()
    {
        await _dir.Registry.SaveAssetAsync("ct-01", new AssetRecord(DeviceClass: "CT", Manufacturer: "Acme"), CancellationToken.None);
        await _dir.Registry.TouchAsync("agent-01", ["ct-01"], T0, CancellationToken.None);
        var ct = await _dir.Registry.GetDeviceAsync("ct-01", CancellationToken.None);
        Assert.Equal("CT", ct!.Asset.DeviceClass);
        Assert.Equal(T0, ct.FirstSeen);
        Assert.Equal(T0, ct.LastSeen);
    }
}
