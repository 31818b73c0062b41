using System.Net;
using System.Text;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Tests.Api;

namespace EquipmentIoT.Cloud.Tests.Alarms;

public sealed class RulesApiTests(StubbedApiFixture fixture) : IClassFixture<StubbedApiFixture>
{
    private const string Rule = """
        { "id": "site.chiller.warm", "description": "Chiller water warmer than 20 °C", "scope": { "class": "mr" }, "severity": "minor",
          "threshold": { "metric": "chiller_water_temperature", "above": 20, "clear": 19 }, "raiseAfter": "10m" }
        """;

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, string id, string body) =>
        await client.PutAsync(ApiJson.U($"/api/v1/rules/{id}"), new StringContent(body, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task SaveRule_ByManager_InForceAtOnceAndDeletable()
    {
        using var manager = fixture.Host.Client(Role.Manager);

        using (var saved = await PutAsync(manager, "site.chiller.warm", Rule)) Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        var rules = await manager.GetJsonAsync("/api/v1/rules");
        var rule = Assert.Single(rules.EnumerateArray(), r => r.GetProperty("id").GetString() == "site.chiller.warm");
        Assert.Equal("minor", rule.GetProperty("severity").GetString());
        Assert.Contains(rules.EnumerateArray(), r => r.GetProperty("id").GetString() == "mr.helium.loss-rate");
        using (var deleted = await manager.DeleteAsync(ApiJson.U("/api/v1/rules/site.chiller.warm"))) Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.DoesNotContain((await manager.GetJsonAsync("/api/v1/rules")).EnumerateArray(), r => r.GetProperty("id").GetString() == "site.chiller.warm");
    }

    [Fact]
    public async Task SaveRule_BadFieldOrOtherId_RefusedWithTheReason()
    {
        using var manager = fixture.Host.Client(Role.Manager);

        using var bad = await PutAsync(manager, "site.chiller.warm", Rule.Replace("\"above\": 20", "\"above\": \"warm\"", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("above", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var other = await PutAsync(manager, "another.id", Rule);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        using var engineer = fixture.Host.Client(Role.Engineer);
        using var denied = await PutAsync(engineer, "site.chiller.warm", Rule);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task Alarms_NoneRaised_EmptyListsAndUnknownAlarmIs404()
    {
        using var engineer = fixture.Host.Client(Role.Engineer);

        Assert.Equal(0, (await engineer.GetJsonAsync("/api/v1/alarms")).GetArrayLength());
        await engineer.SendJsonAsync(HttpMethod.Post, "/api/v1/alarms/999/acknowledge", new { comment = "on my way" }, HttpStatusCode.NotFound);
        await fixture.Host.Client(Role.Operator).SendJsonAsync(HttpMethod.Post, "/api/v1/alarms/999/acknowledge", new { comment = "x" }, HttpStatusCode.Forbidden);
    }
}
