using System.Net;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Tests.Registry;
using static EquipmentIoT.Cloud.Tests.Api.ApiJson;

namespace EquipmentIoT.Cloud.Tests.Api;

/// <summary>Agents, asset records, sites and tokens through the API, and what the audit log says about it.</summary>
public sealed class ApiRecordsTests(StubbedApiFixture fixture) : IClassFixture<StubbedApiFixture>
{
    private readonly ApiHost _host = fixture.Host;

    private Task<IReadOnlyList<AuditRecord>> AuditAsync(string actor, string actionPrefix) =>
        _host.Get<IAuditLog>().QueryAsync(new AuditQuery(Actor: actor, ActionPrefix: actionPrefix, Limit: 10), CancellationToken.None);

    [Fact]
    public async Task Agents_RegisterRotateRevoke_RoundTrip()
    {
        var admin = _host.Client(Role.Admin);
        var first = RecordsDirectory.NewKey();
        var second = RecordsDirectory.NewKey();
        var registered = await admin.SendJsonAsync(HttpMethod.Post, "/api/v1/agents",
            new { id = "agent-rt", publicKeyPem = first.Pem, site = "s-rt", description = "round trip" }, HttpStatusCode.Created);
        Assert.Equal(first.Kid, registered.GetProperty("keys")[0].GetProperty("kid").GetString());
        Assert.Equal(ApiHost.Start.ToString(), registered.GetProperty("registered").GetString());

        await admin.SendJsonAsync(HttpMethod.Post, "/api/v1/agents/agent-rt/keys", new { publicKeyPem = second.Pem }, HttpStatusCode.Created);
        var revoked = await admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/agents/agent-rt/keys/{first.Kid}/revoke", new { reason = "rotated" });
        Assert.Equal(1, revoked.GetProperty("liveKeys").GetInt32());
        Assert.Equal(JsonValueKindNull, revoked.GetProperty("warning").ValueKind);

        var last = await admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/agents/agent-rt/keys/{second.Kid}/revoke", new { reason = "decommissioned" });
        Assert.Equal(0, last.GetProperty("liveKeys").GetInt32());
        Assert.Contains("no live key", last.GetProperty("warning").GetString(), StringComparison.Ordinal);

        var agent = await _host.Client(Role.Operator).GetJsonAsync("/api/v1/agents/agent-rt");
        // Both keys were added at the same (fake) instant: compare as a set.
        var keys = agent.GetProperty("keys").EnumerateArray()
            .ToDictionary(k => k.GetProperty("kid").GetString()!, k => k.GetProperty("revokedReason").GetString());
        Assert.Equal(new Dictionary<string, string?> { [first.Kid] = "rotated", [second.Kid] = "decommissioned" }, keys);

        var audit = await AuditAsync("admin-token", "POST /api/v1/agents");
        Assert.Contains(audit, a => a.Action == "POST /api/v1/agents/{id}/keys/{kid}/revoke" && a.Target == $"id=agent-rt kid={second.Kid}" && a.Outcome == "200");
        Assert.Contains(audit, a => a.Action == "POST /api/v1/agents" && a.Outcome == "201");
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task Agents_DuplicateIdOrBadKeyOrUnknownKid_AreProblems()
    {
        var admin = _host.Client(Role.Admin);
        await admin.SendJsonAsync(HttpMethod.Post, "/api/v1/agents", new { id = "agent-dup", publicKeyPem = RecordsDirectory.NewKey().Pem }, HttpStatusCode.Created);
        var dup = await admin.SendJsonAsync(HttpMethod.Post, "/api/v1/agents", new { id = "agent-dup", publicKeyPem = RecordsDirectory.NewKey().Pem },
            HttpStatusCode.Conflict);
        Assert.Contains("already registered", dup.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var rsa = await admin.SendJsonAsync(HttpMethod.Post, "/api/v1/agents", new { id = "agent-rsa", publicKeyPem = RecordsDirectory.RsaPem() },
            HttpStatusCode.BadRequest);
        Assert.Contains("RSA", rsa.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await admin.SendJsonAsync(HttpMethod.Post, "/api/v1/agents/agent-dup/keys/nokid/revoke", new { reason = "x" }, HttpStatusCode.NotFound);
        await admin.GetJsonAsync("/api/v1/agents/nobody", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Assets_SaveSearchAndCount_ThroughTheApi()
    {
        var manager = _host.Client(Role.Manager);
        await manager.SendJsonAsync(HttpMethod.Put, "/api/v1/sites/as-site", new { name = "Asset site", timeZone = "Asia/Shanghai" });
        await manager.SendJsonAsync(HttpMethod.Put, "/api/v1/devices/as-ct-1/asset",
            new { deviceClass = "CT", manufacturer = "Acme Medical", model = "Scan 64", department = "Radiology", site = "as-site", installationDate = "2021-05-04" });
        await manager.SendJsonAsync(HttpMethod.Put, "/api/v1/devices/as-ct-2/asset",
            new { deviceClass = "CT", manufacturer = "Other", department = "Emergency", site = "as-site" });
        await manager.SendJsonAsync(HttpMethod.Put, "/api/v1/devices/as-mr-1/asset",
            new { deviceClass = "MR", manufacturer = "ACME medical", department = "Radiology", site = "as-site" });

        var reader = _host.Client(Role.Operator);
        var found = await reader.GetJsonAsync("/api/v1/devices?q=acme&site=as-site");
        Assert.Equal(["as-ct-1", "as-mr-1"], found.EnumerateArray().Select(d => d.GetProperty("id").GetString()));
        Assert.Equal("2021-05-04", found[0].GetProperty("asset").GetProperty("installationDate").GetString());
        var cts = await reader.GetJsonAsync("/api/v1/devices?class=CT&department=radio&site=as-site");
        Assert.Equal("as-ct-1", Assert.Single(cts.EnumerateArray()).GetProperty("id").GetString());

        var counts = await reader.GetJsonAsync("/api/v1/devices/counts?groupBy=deviceClass&site=as-site");
        Assert.Equal([("CT", 2), ("MR", 1)], counts.EnumerateArray().Select(c => (c.GetProperty("value").GetString(), c.GetProperty("count").GetInt32())));
        var bad = await reader.GetJsonAsync("/api/v1/devices/counts?groupBy=colour", HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("groupBy", out _));

        var unknownSite = await manager.SendJsonAsync(HttpMethod.Put, "/api/v1/devices/as-x/asset", new { site = "nowhere" }, HttpStatusCode.BadRequest);
        Assert.Contains("no site 'nowhere'", unknownSite.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var badZone = await manager.SendJsonAsync(HttpMethod.Put, "/api/v1/sites/bad", new { name = "Bad", timeZone = "Mars/Base" }, HttpStatusCode.BadRequest);
        Assert.Contains("Mars/Base", badZone.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_ReadChangeAndDenials_AreWrittenWithActorRoleRouteTargetAndOutcome()
    {
        await _host.Client(Role.Operator).GetJsonAsync("/api/v1/devices/au-1", HttpStatusCode.NotFound);
        await _host.Client(Role.Manager).SendJsonAsync(HttpMethod.Put, "/api/v1/devices/au-1/asset", new { deviceClass = "CT" });
        await _host.Client(Role.Operator).SendJsonAsync(HttpMethod.Put, "/api/v1/devices/au-2/asset", new { deviceClass = "CT" }, HttpStatusCode.Forbidden);
        using (var anonymous = await _host.Client(null).GetAsync(U("/api/v1/devices/au-3"))) Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var read = Assert.Single(await AuditAsync("operator-token", "GET /api/v1/devices/{id}"), a => a.Target == "id=au-1");
        Assert.Equal(("operator", "404", ApiHost.Start), (read.Role, read.Outcome, read.At));
        var change = Assert.Single(await AuditAsync("manager-token", "PUT /api/v1/devices/{id}/asset"), a => a.Target == "id=au-1");
        Assert.Equal(("manager", "200"), (change.Role, change.Outcome));
        var forbidden = Assert.Single(await AuditAsync("operator-token", "PUT /api/v1/devices/{id}/asset"), a => a.Target == "id=au-2");
        Assert.Equal("403", forbidden.Outcome);
        var unauthorized = Assert.Single(await AuditAsync("anonymous", "GET /api/v1/devices/{id}"), a => a.Target == "id=au-3");
        Assert.Equal(("401", null), (unauthorized.Outcome, unauthorized.Role));
    }

    [Fact]
    public async Task Audit_HealthAndOpenApi_AreNotAudited()
    {
        var before = await NewestAuditIdAsync();
        using (var health = await _host.Client(null).GetAsync(U("/healthz"))) Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using (var doc = await _host.Client(Role.Admin).GetAsync(U("/openapi/v1.json"))) Assert.Equal(HttpStatusCode.OK, doc.StatusCode);
        Assert.Equal(before, await NewestAuditIdAsync());
    }

    private async Task<long> NewestAuditIdAsync()
    {
        var newest = await _host.Get<IAuditLog>().QueryAsync(new AuditQuery(Limit: 1), CancellationToken.None);
        return newest.Count == 0 ? 0 : newest[0].Id;
    }

    [Fact]
    public async Task AuditEndpoint_AsAuditor_FiltersByActorAndNeverShowsTokens()
    {
        await _host.Client(Role.Engineer).GetJsonAsync("/api/v1/sites");
        var entries = await _host.Client(Role.Auditor).GetJsonAsync("/api/v1/audit?actor=engineer-token&action=GET%20/api/v1/sites");
        var entry = entries[0];
        Assert.Equal("engineer", entry.GetProperty("role").GetString());
        Assert.Equal("200", entry.GetProperty("outcome").GetString());
        Assert.DoesNotContain("eqt_", entries.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_CreateShowsTheSecretOnce_RevokeStopsItAtOnce()
    {
        var admin = _host.Client(Role.Admin);
        var created = await admin.SendJsonAsync(HttpMethod.Post, "/api/v1/tokens", new { name = "dashboard", role = "operator" }, HttpStatusCode.Created);
        var token = created.GetProperty("token").GetString()!;
        var id = created.GetProperty("record").GetProperty("id").GetInt64();
        var client = _host.ClientWith(token);
        await client.GetJsonAsync("/api/v1/sites");

        var list = await admin.GetJsonAsync("/api/v1/tokens");
        Assert.DoesNotContain(token, list.ToString(), StringComparison.Ordinal);
        Assert.Contains(list.EnumerateArray(), t => t.GetProperty("name").GetString() == "dashboard" && t.GetProperty("role").GetString() == "operator");

        using (var revoke = await admin.PostAsync(U($"/api/v1/tokens/{id}/revoke"), null)) Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        using (var after = await client.GetAsync(U("/api/v1/sites"))) Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        using (var unknown = await admin.PostAsync(U("/api/v1/tokens/99999/revoke"), null)) Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Tokens_Expired_AreRefused()
    {
        var admin = _host.Client(Role.Admin);
        var created = await admin.SendJsonAsync(HttpMethod.Post, "/api/v1/tokens",
            new { name = "short", role = "auditor", expires = (ApiHost.Start + NodaTime.Duration.FromHours(1)).ToString() }, HttpStatusCode.Created);
        var store = _host.Get<IApiTokenStore>();
        Assert.Null(await store.ValidateAsync(created.GetProperty("token").GetString()!, ApiHost.Start + NodaTime.Duration.FromHours(1), CancellationToken.None));
        Assert.NotNull(await store.ValidateAsync(created.GetProperty("token").GetString()!, ApiHost.Start, CancellationToken.None));
    }
}
