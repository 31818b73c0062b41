using System.Net;
using EquipmentIoT.Cloud.Storage;
using NodaTime;
using NodaTime.Text;
using static EquipmentIoT.Cloud.Tests.Api.ApiJson;

namespace EquipmentIoT.Cloud.Tests.Api;

/// <summary>Ledger- and series-backed endpoints over data written through the real SQLite stores.</summary>
public sealed class ApiTelemetryTests(TelemetryApiFixture fixture) : IClassFixture<TelemetryApiFixture>
{
    private static readonly Instant T0 = TelemetryApiFixture.T0;
    private readonly ApiHost _host = fixture.Host;

    private static string Iso(Instant i) => InstantPattern.ExtendedIso.Format(i);

    [Fact]
    public async Task GetDevice_WithStoredData_ShowsAssetLatestValueAndSeries()
    {
        var device = await _host.Client(Role.Operator).GetJsonAsync("/api/v1/devices/mr-01");
        Assert.Equal("MR", device.GetProperty("asset").GetProperty("deviceClass").GetString());
        Assert.Equal("agent-api", device.GetProperty("agentId").GetString());
        var latest = Assert.Single(device.GetProperty("latest").EnumerateArray());
        Assert.Equal(("helium_level", "%", 72.5, Iso(T0 + Duration.FromSeconds(5))),
            (latest.GetProperty("metric").GetString(), latest.GetProperty("unit").GetString(), latest.GetProperty("value").GetDouble(),
                latest.GetProperty("time").GetString()));
        var series = Assert.Single(device.GetProperty("series").EnumerateArray());
        Assert.Equal(6, series.GetProperty("points").GetInt64());
    }

    [Fact]
    public async Task ListDevices_WithStoredData_CarriesLatestValues()
    {
        var devices = await _host.Client(Role.Operator).GetJsonAsync("/api/v1/devices?class=MR");
        var mr = Assert.Single(devices.EnumerateArray());
        Assert.Equal(72.5, Assert.Single(mr.GetProperty("latest").EnumerateArray()).GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task QuerySeries_Raw_ReturnsEveryPointSent()
    {
        var answer = await _host.Client(Role.Operator).GetJsonAsync(
            $"/api/v1/devices/mr-01/series/helium_level?from={Iso(T0)}&to={Iso(T0 + Duration.FromHours(1))}");
        var points = answer.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal([70, 70.5, 71, 71.5, 72, 72.5], points.Select(p => p.GetProperty("value").GetDouble()));
        Assert.Equal(Iso(T0), points[0].GetProperty("time").GetString());
        Assert.False(answer.GetProperty("truncated").GetBoolean());
    }

    [Theory]
    [InlineData("1m")]
    [InlineData("PT1M")]
    public async Task QuerySeries_StepAndAggregate_OneBucketWithCountAndMax(string step)
    {
        var answer = await _host.Client(Role.Operator).GetJsonAsync(
            $"/api/v1/devices/mr-01/series/helium_level?from={Iso(T0)}&to={Iso(T0 + Duration.FromHours(1))}&step={step}&aggregate=max");
        var bucket = Assert.Single(answer.GetProperty("points").EnumerateArray());
        Assert.Equal((6, 72.5, 72.5), (bucket.GetProperty("count").GetInt64(), bucket.GetProperty("value").GetDouble(), bucket.GetProperty("max").GetDouble()));
        Assert.Equal(60, answer.GetProperty("stepSeconds").GetInt64());
        Assert.Equal("max", answer.GetProperty("aggregate").GetString());
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-11-22T10:00:00Z&to=2026-11-22T09:00:00Z", "to")]
    [InlineData("step=banana", "step")]
    [InlineData("step=P1M", "step")]
    [InlineData("step=0s", "step")]
    [InlineData("aggregate=median&step=1m", "aggregate")]
    [InlineData("aggregate=max", "aggregate")]
    [InlineData("from=2026-01-01T00:00:00Z&to=2026-11-22T00:00:00Z", "from")]
    [InlineData("from=2025-01-01T00:00:00Z&to=2026-11-22T00:00:00Z&step=1m", "step")]
    [InlineData("from=2010-01-01T00:00:00Z&to=2026-11-22T00:00:00Z&step=1d", "from")]
    [InlineData("limit=0", "limit")]
    public async Task QuerySeries_BadParameter_Is400NamingIt(string query, string parameter)
    {
        var problem = await _host.Client(Role.Operator).GetJsonAsync($"/api/v1/devices/mr-01/series/helium_level?{query}", HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out var messages), problem.ToString());
        Assert.NotEmpty(messages[0].GetString()!);
    }

    [Fact]
    public async Task ListEvents_ByDeviceAndTypePrefix_NewestFirstWithData()
    {
        var events = await _host.Client(Role.Operator).GetJsonAsync("/api/v1/events?device=mr-01&type=exam.");
        Assert.Equal(["exam.completed", "exam.started"], events.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.Equal("2.25.7", events[0].GetProperty("data").GetProperty("StudyInstanceUID").GetString());
        var bad = await _host.Client(Role.Operator).GetJsonAsync("/api/v1/events?limit=100000", HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("limit", out _));
    }

    [Fact]
    public async Task ListQuarantine_ShowsReasonButNoPayloadUnlessAskedByAnAllowedRole()
    {
        var plain = Assert.Single((await _host.Client(Role.Operator).GetJsonAsync("/api/v1/quarantine?agent=agent-api")).EnumerateArray());
        Assert.Equal("badSignature", plain.GetProperty("reason").GetString());
        Assert.Equal(TelemetryApiFixture.QuarantinedPayload.Length, plain.GetProperty("payloadBytes").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, plain.GetProperty("payloadBase64").ValueKind);

        var withPayload = Assert.Single((await _host.Client(Role.Engineer).GetJsonAsync("/api/v1/quarantine?agent=agent-api&payload=true")).EnumerateArray());
        Assert.Equal(Convert.ToBase64String(TelemetryApiFixture.QuarantinedPayload), withPayload.GetProperty("payloadBase64").GetString());
        await _host.Client(Role.Operator).GetJsonAsync("/api/v1/quarantine?payload=true", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Integrity_PerAgent_CountsStoredAndQuarantined()
    {
        var all = await _host.Client(Role.Auditor).GetJsonAsync("/api/v1/integrity");
        var summary = Assert.Single(all.EnumerateArray(), s => s.GetProperty("agent").GetString() == "agent-api");
        Assert.Equal(4, summary.GetProperty("stored").GetInt64());
        Assert.Equal(1, summary.GetProperty("quarantined").GetInt64());

        var one = await _host.Client(Role.Auditor).GetJsonAsync("/api/v1/integrity/agent-api");
        Assert.Equal(4, one.GetProperty("summary").GetProperty("stored").GetInt64());
        Assert.Equal(0, one.GetProperty("openGaps").GetArrayLength());
        await _host.Client(Role.Auditor).GetJsonAsync("/api/v1/integrity/nobody", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Usage_SiteDay_WorkingHoursFromStatesAndExamsPerLocalDay()
    {
        // T0 = 2026-11-22T10:00Z = 18:00 in Shanghai: scanning until 20:00 local, one exam.
        var usage = await _host.Client(Role.Manager).GetJsonAsync("/api/v1/usage?site=sh&from=2026-11-22&to=2026-11-22");
        var device = Assert.Single(usage.GetProperty("devices").EnumerateArray());
        Assert.Equal(("mr-01", "states", "Asia/Shanghai"), (device.GetProperty("device").GetString(), device.GetProperty("source").GetString(),
            device.GetProperty("timeZone").GetString()));
        Assert.Equal(1, device.GetProperty("exams").GetInt32());
        Assert.Equal(2.0, device.GetProperty("workingHours").GetDouble());
        Assert.Equal(24.0, device.GetProperty("openHours").GetDouble());
        Assert.Equal(2.0 / 24, device.GetProperty("utilisation").GetDouble(), 6);
        var mr = Assert.Single(usage.GetProperty("classes").EnumerateArray());
        Assert.Equal(("MR", 1, 2.0), (mr.GetProperty("deviceClass").GetString(), mr.GetProperty("devices").GetInt32(), mr.GetProperty("workingHours").GetDouble()));
    }

    [Fact]
    public async Task DeviceUsage_OneDevice_SameFiguresAndDays()
    {
        var usage = await _host.Client(Role.Operator).GetJsonAsync("/api/v1/devices/mr-01/usage?from=2026-11-21&to=2026-11-23");
        Assert.Equal([0, 1, 0], usage.GetProperty("days").EnumerateArray().Select(d => d.GetProperty("exams").GetInt32()));
        Assert.Equal("2026-11-22", usage.GetProperty("days")[1].GetProperty("date").GetString());
        await _host.Client(Role.Operator).GetJsonAsync("/api/v1/devices/nothing/usage?from=2026-11-21&to=2026-11-23", HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("from=2026-11-22", "to")]
    [InlineData("from=22.11.2026&to=2026-11-23", "from")]
    public async Task Usage_BadDates_Is400NamingThem(string query, string parameter)
    {
        var problem = await _host.Client(Role.Operator).GetJsonAsync($"/api/v1/usage?{query}", HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task Usage_RangeTooLong_Is400()
    {
        var problem = await _host.Client(Role.Operator).GetJsonAsync("/api/v1/usage?from=2024-01-01&to=2026-01-01", HttpStatusCode.BadRequest);
        Assert.Contains("366 days", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_OnRealStores_IsHealthy()
    {
        using var response = await _host.Client(null).GetAsync(U("/healthz"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
