using System.Text.Json;
using EquipmentIoT.Cloud.Hosting;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Npgsql;

namespace EquipmentIoT.IntegrationTests.Stack;

/// <summary>
/// Every query of every dashboard in dashboards/grafana/dashboards, and every template variable's query, run the way Grafana
/// would run it against a real InfluxDB 1.6 and a real PostgreSQL 15 holding the demo's kind of data (written through the
/// cloud's own stores, configured as <c>Storage:Series=influxdb</c> and <c>Storage:Records=postgres</c>): none may fail, and
/// none may come back empty, since the data each one draws exists.
/// </summary>
public sealed class DashboardQueryTests(DashboardStores stores) : IClassFixture<DashboardStores>
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    public static TheoryData<string> Queries()
    {
        var data = new TheoryData<string>();
        foreach (var query in GrafanaDashboards.Queries().Concat(GrafanaDashboards.VariableQueries())) data.Add(query.ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task PanelQuery_AgainstTheRealStoresWithDemoData_RunsAndReturnsRows(string name)
    {
        var query = GrafanaDashboards.Queries().Concat(GrafanaDashboards.VariableQueries()).Single(q => q.ToString() == name);
        var text = GrafanaDashboards.Expand(query, stores.From, stores.To, ValuesFor(query.Dashboard), Interval);

        var rows = query.Store == DashboardStore.Influx ? await stores.InfluxRowsAsync(text) : await stores.PostgresRowsAsync(text);

        Assert.True(rows > 0, $"{name} returned no rows:\n{text}");
    }

    private static Dictionary<string, IReadOnlyList<string>> ValuesFor(string dashboard) => new()
    {
        ["site"] = [DashboardDemoData.Site],
        ["agent"] = [DashboardDemoData.AgentId],
        ["device"] = [dashboard switch
        {
            "mr-helium.json" => DashboardDemoData.DeviceOfClass["mr"],
            "ct-usage.json" => DashboardDemoData.DeviceOfClass["ct"],
            "am-build-monitor.json" => DashboardDemoData.DeviceOfClass["am-printer"],
            _ => "none",
        }],
    };
}

/// <summary>A real InfluxDB and PostgreSQL holding the demo data, once for all the dashboard queries.</summary>
public sealed class DashboardStores : IAsyncLifetime
{
    private InfluxServer? _influx;
    private PostgresServer? _postgres;
    private string _series = "";
    private string _records = "";

    public DateTimeOffset From { get; private set; }

    public DateTimeOffset To { get; private set; }

    public async Task InitializeAsync()
    {
        _influx = await InfluxServer.StartAsync();
        _postgres = await PostgresServer.StartAsync();
        _series = await _influx.CreateDatabaseAsync();
        _records = await _postgres.CreateDatabaseAsync();
        var data = Directory.CreateTempSubdirectory("eqiot-dashboards-").FullName;
        try
        {
            // The cloud as configured for the full stack, all of it, so that every store a dashboard reads is the one it runs on.
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Cloud:DataDirectory"] = data,
                ["Storage:Series"] = "influxdb",
                ["Storage:Influx:Url"] = _influx.Uri.ToString(),
                ["Storage:Influx:Database"] = _series,
                ["Storage:Records"] = "postgres",
                ["Storage:Postgres:ConnectionString"] = _postgres.ConnectionString(_records),
            });
            builder.AddCloud();
            var host = builder.Build();
            try
            {
                await host.Services.InitializeStoresAsync(CancellationToken.None);
                var now = SystemClock.Instance.GetCurrentInstant();
                await DashboardDemoData.WriteAsync(host.Services, now, CancellationToken.None);
                From = now.Minus(Duration.FromDays(365)).ToDateTimeOffset();
                To = now.Plus(Duration.FromMinutes(1)).ToDateTimeOffset();
            }
            finally
            {
                await ((IAsyncDisposable)host).DisposeAsync();
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    public async Task DisposeAsync()
    {
        if (_influx is not null) await _influx.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }

    public async Task<int> InfluxRowsAsync(string text)
    {
        using var document = await _influx!.QueryAsync(text, _series);
        var result = document.RootElement.GetProperty("results")[0];
        if (result.TryGetProperty("error", out var error)) Assert.Fail($"InfluxDB: {error.GetString()}\n{text}");
        return result.TryGetProperty("series", out var series) ? series.EnumerateArray().Sum(s => s.GetProperty("values").GetArrayLength()) : 0;
    }

    public async Task<int> PostgresRowsAsync(string text)
    {
        await using var connection = new NpgsqlConnection(_postgres!.ConnectionString(_records));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(text, connection);
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            var rows = 0;
            while (await reader.ReadAsync()) rows++;
            return rows;
        }
        catch (PostgresException e)
        {
            Assert.Fail($"PostgreSQL: {e.MessageText}\n{text}");
            return 0;
        }
    }
}
