using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Influx;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Storage.Influx;

/// <summary>The client's retries and failures, against the real server and a 503-answering stub in front of it.</summary>
public sealed class InfluxClientTests(InfluxServerFixture fixture) : IClassFixture<InfluxServerFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task WriteAsync_ServiceUnavailableOnce_IsRetriedAndStoredOnce()
    {
        var options = await fixture.NewDatabaseAsync();
        await using (var init = InfluxSeriesStore.Create(options, NullLoggerFactory.Instance)) await init.InitializeAsync(None);
        await using var stub = await InfluxStubServer.StartAsync(failures: 1, upstream: fixture.Server.Uri);
        options.Url = stub.Uri;
        await using var store = InfluxSeriesStore.Create(options, NullLoggerFactory.Instance);
        var points = Enumerable.Range(0, 100).Select(i => new MetricPoint("mr-01", "helium_level", "%", TestAgent.T0 + Duration.FromSeconds(i), i)).ToList();

        await store.WriteAsync([new SeriesBatch(1, "agent-01", points)], None);

        Assert.Equal([("/write", 503), ("/write", 204)], stub.Requests.Where(r => r.Path == "/write").Select(r => (r.Path, r.Status)));
        Assert.Equal(100, Assert.Single(await store.SeriesAsync(null, None)).Points);
    }

    [Fact]
    public async Task WriteAsync_ServerKeepsFailing_GivesUpAfterTheRetriesNamingTheStatus()
    {
        await using var stub = await InfluxStubServer.StartAsync(failures: 100, upstream: null);
        var options = new InfluxOptions { Url = stub.Uri, Retries = 2, RetryInitialDelay = TimeSpan.FromMilliseconds(1), RetryMaxDelay = TimeSpan.FromMilliseconds(5) };
        using var client = InfluxClient.Create(options, NullLogger<InfluxClient>.Instance);

        var ex = await Assert.ThrowsAsync<InfluxCommunicationException>(() => client.WriteAsync("m f=1 1\n"u8.ToArray(), "raw", None));

        Assert.Equal(3, stub.Requests.Count);
        Assert.Contains("after 3 attempt(s): HTTP 503", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_TokenFile_SendsTheTokenHeader()
    {
        await using var stub = await InfluxStubServer.StartAsync(failures: 0, upstream: null);
        var tokenFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(tokenFile, "s3cr3t-token\n");
            var options = new InfluxOptions { Url = stub.Uri, TokenFile = tokenFile };
            using var client = InfluxClient.Create(options, NullLogger<InfluxClient>.Instance);

            await client.WriteAsync("m f=1 1\n"u8.ToArray(), "raw", None);

            Assert.Equal("Token s3cr3t-token", Assert.Single(stub.Requests).Authorization);
            Assert.DoesNotContain("s3cr3t", client.Credentials.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public void Create_MissingPasswordFile_FailsNamingTheSetting()
    {
        var options = new InfluxOptions { Username = "eqiot", PasswordFile = "/nonexistent/influx-password" };

        var ex = Assert.Throws<InvalidOperationException>(() => InfluxClient.Create(options, NullLogger<InfluxClient>.Instance));

        Assert.Contains("Storage:Influx:PasswordFile '/nonexistent/influx-password'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_BadStatement_FailsNamingTheStatementAndInfluxDbsError()
    {
        var options = await fixture.NewDatabaseAsync();
        using var client = InfluxClient.Create(options, NullLogger<InfluxClient>.Instance);

        var ex = await Assert.ThrowsAsync<InfluxRequestException>(() =>
            client.QueryAsync(["SHOW MEASUREMENTS", "SELECT nope FROM \"no_such_rp\".\"telemetry\""], null, write: false, None));

        Assert.Contains("statement 1 failed", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no_such_rp", ex.Message, StringComparison.Ordinal);
    }
}
