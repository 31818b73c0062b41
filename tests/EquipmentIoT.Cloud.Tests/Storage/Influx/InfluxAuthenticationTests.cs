using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Influx;
using EquipmentIoT.Protocols.Telemetry.Model;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EquipmentIoT.Cloud.Tests.Storage.Influx;

/// <summary>User/password authentication against an influxd with auth enabled.</summary>
public sealed class InfluxAuthenticationTests(AuthenticatedInfluxServerFixture fixture) : IClassFixture<AuthenticatedInfluxServerFixture>, IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string _passwordFile = Path.GetTempFileName();

    [Fact]
    public async Task WriteAsync_RightPassword_StoresAndReads()
    {
        await File.WriteAllTextAsync(_passwordFile, fixture.Server.AdminPassword + "\n");
        await using var store = await fixture.NewStoreAsync(Credentials);

        await store.WriteAsync([new SeriesBatch(1, "agent-01", [new MetricPoint("mr-01", "helium_level", "%", TestAgent.T0, 71)])], None);

        Assert.Equal(71, Assert.Single(await store.LatestAsync("mr-01", None)).Value);
    }

    [Fact]
    public async Task InitializeAsync_WrongPassword_FailsClearlyWithoutShowingIt()
    {
        await File.WriteAllTextAsync(_passwordFile, "wrong-password-123");
        var options = new InfluxOptions { Url = fixture.Server.Uri, Database = "denied" };
        Credentials(options);
        await using var store = InfluxSeriesStore.Create(options, NullLoggerFactory.Instance);

        var ex = await Assert.ThrowsAsync<InfluxRequestException>(() => store.InitializeAsync(None));

        Assert.Equal(401, ex.StatusCode);
        Assert.Contains($"refused the credentials (user '{InfluxServer.AdminUser}')", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-123", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => File.Delete(_passwordFile);

    private void Credentials(InfluxOptions options)
    {
        options.Username = InfluxServer.AdminUser;
        options.PasswordFile = _passwordFile;
    }
}
