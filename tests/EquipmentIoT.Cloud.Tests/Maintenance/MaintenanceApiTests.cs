using System.Net;
using System.Text;
using System.Text.Json;
using EquipmentIoT.Cloud.Maintenance;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Tests.Api;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Maintenance;

/// <summary>/api/v1/maintenance: roles (engineers work and close, operators cannot, managers plan, auditors read), answers and problems.</summary>
public sealed class MaintenanceApiTests(MaintenanceApiFixture fixture) : IClassFixture<MaintenanceApiFixture>
{
    private const string Base = "/api/v1/maintenance";
    private readonly ApiHost _host = fixture.Host;

    [Theory]
    [InlineData(Role.Operator, HttpStatusCode.Forbidden)]
    [InlineData(Role.Engineer, HttpStatusCode.Forbidden)]
    [InlineData(Role.Auditor, HttpStatusCode.Forbidden)]
    [InlineData(Role.Manager, HttpStatusCode.Created)]
    [InlineData(Role.Admin, HttpStatusCode.Created)]
    public async Task CreatePlan_ByRole_OnlyManagersAndAdmins(Role role, HttpStatusCode expected)
    {
        await _host.Client(role).SendJsonAsync(HttpMethod.Post, $"{Base}/plans",
            new { device = "ct-01", title = "Tube PM", basis = "calendar", everyMonths = 6, anchor = "2026-03-31" }, expected);
    }

    [Fact]
    public async Task CreatePlan_AsManager_AnswersWithStatusInTheSitesZone_AndAuditorReadsIt()
    {
        var created = await _host.Client(Role.Manager).SendJsonAsync(HttpMethod.Post, $"{Base}/plans",
            new { device = "mr-01", title = "Cold head", basis = "calendar", everyMonths = 1, anchor = "2026-01-31", reminderDays = 7 }, HttpStatusCode.Created);
        var id = created.GetProperty("plan").GetProperty("id").GetInt64();

        var read = await _host.Client(Role.Auditor).GetJsonAsync($"{Base}/plans/{id}");

        var status = read.GetProperty("status");
        Assert.Equal("Asia/Shanghai", status.GetProperty("timeZone").GetString());
        Assert.Equal("2026-03-31", status.GetProperty("nextDue").GetString()); // the first due on or after the day it was made (2 March)
        Assert.Equal("2026-03-24", status.GetProperty("remindOn").GetString());
        Assert.Equal("calendar", read.GetProperty("plan").GetProperty("basis").GetString());
        var listed = await _host.Client(Role.Operator).GetJsonAsync($"{Base}/plans?device=mr-01");
        Assert.Contains(listed.EnumerateArray(), p => p.GetProperty("id").GetInt64() == id);
    }

    [Fact]
    public async Task CreatePlan_Invalid_Is400ListingEveryReason()
    {
        var problem = await _host.Client(Role.Manager).SendJsonAsync(HttpMethod.Post, $"{Base}/plans",
            new { device = "ct-01", title = "", basis = "usage", measure = "counterHours", everyUsage = 0 }, HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("title: required", errors);
        Assert.Contains("everyUsage: must be above 0 and at most 1000000000", errors);
        Assert.Contains(errors, e => e!.StartsWith("metric: required for counterHours", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WorkOrder_EngineerWorksAndClosesIt_OperatorCannot_SelfVerifyRefused_AuditorReadsTransitions()
    {
        var engineer = _host.Client(Role.Engineer);
        var created = await engineer.SendJsonAsync(HttpMethod.Post, $"{Base}/work-orders",
            new { device = "ct-02", title = "Detector fan noisy", priority = "high" }, HttpStatusCode.Created);
        var id = created.GetProperty("workOrder").GetProperty("id").GetInt64();
        var path = $"{Base}/work-orders/{id}";

        await _host.Client(Role.Operator).SendJsonAsync(HttpMethod.Post, $"{path}/assign", new { assignee = "operator-token" }, HttpStatusCode.Forbidden);
        await engineer.SendJsonAsync(HttpMethod.Post, $"{path}/start", new { }, HttpStatusCode.Conflict); // open: assign first
        await engineer.SendJsonAsync(HttpMethod.Post, $"{path}/assign", new { assignee = "engineer-token" });
        await engineer.SendJsonAsync(HttpMethod.Post, $"{path}/start", new { comment = "on site" });
        var done = new { notes = "fan replaced", labourHours = 1.5, parts = new[] { new { part = "FAN-120", quantity = 2, unit = "pcs" } } };
        await _host.Client(Role.Operator).SendJsonAsync(HttpMethod.Post, $"{path}/done", done, HttpStatusCode.Forbidden);
        await _host.Client(Role.Auditor).SendJsonAsync(HttpMethod.Post, $"{path}/done", done, HttpStatusCode.Forbidden);
        var closed = await engineer.SendJsonAsync(HttpMethod.Post, $"{path}/done", done);
        var self = await engineer.SendJsonAsync(HttpMethod.Post, $"{path}/verify", new { }, HttpStatusCode.Conflict);
        await _host.Client(Role.Manager).SendJsonAsync(HttpMethod.Post, $"{path}/verify", new { comment = "checked" });
        await engineer.SendJsonAsync(HttpMethod.Post, $"{path}/cancel", new { reason = "too late" }, HttpStatusCode.Conflict);

        Assert.Equal("done", closed.GetProperty("workOrder").GetProperty("state").GetString());
        Assert.Contains("someone else must verify it", self.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var read = await _host.Client(Role.Auditor).GetJsonAsync(path);
        var order = read.GetProperty("workOrder");
        Assert.Equal(("verified", "engineer-token", "manager-token"),
            (order.GetProperty("state").GetString(), order.GetProperty("completedBy").GetString(), order.GetProperty("verifiedBy").GetString()));
        Assert.Equal(2, order.GetProperty("parts")[0].GetProperty("quantity").GetDouble());
        var transitions = read.GetProperty("transitions").EnumerateArray().ToList();
        Assert.Equal(["open", "assigned", "inProgress", "done", "verified"], transitions.Select(t => t.GetProperty("to").GetString()));
        Assert.Equal(["engineer-token", "engineer-token", "engineer-token", "engineer-token", "manager-token"],
            transitions.Select(t => t.GetProperty("actor").GetString()));
        Assert.EndsWith("+08:00", transitions[0].GetProperty("atLocal").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overdue_AfterTheDueDayPassedAtTheSite_IsListed()
    {
        var created = await _host.Client(Role.Manager).SendJsonAsync(HttpMethod.Post, $"{Base}/work-orders",
            new { device = "ct-03", title = "Table motor", due = "2026-03-02" }, HttpStatusCode.Created);
        var id = created.GetProperty("workOrder").GetProperty("id").GetInt64();
        var start = _host.Clock.GetCurrentInstant();
        try
        {
            Assert.DoesNotContain(Ids(await _host.Client(Role.Auditor).GetJsonAsync($"{Base}/work-orders?overdue=true")), i => i == id);
            _host.Clock.Reset(Instant.FromUtc(2026, 3, 2, 16, 0)); // 3 March in Shanghai

            var overdue = await _host.Client(Role.Auditor).GetJsonAsync($"{Base}/overdue");
            var listed = await _host.Client(Role.Operator).GetJsonAsync($"{Base}/work-orders?overdue=true&device=ct-03");

            var view = overdue.GetProperty("workOrders").EnumerateArray().Single(v => v.GetProperty("workOrder").GetProperty("id").GetInt64() == id);
            Assert.Equal((true, 1), (view.GetProperty("overdue").GetBoolean(), view.GetProperty("daysOverdue").GetInt32()));
            Assert.Equal([id], Ids(listed));
        }
        finally
        {
            _host.Clock.Reset(start);
        }
    }

    [Fact]
    public async Task RunDue_ByHand_ManagerRunsIt_EngineerMayNot()
    {
        var report = await _host.Client(Role.Manager).SendJsonAsync(HttpMethod.Post, $"{Base}/due/run", new { });
        await _host.Client(Role.Engineer).SendJsonAsync(HttpMethod.Post, $"{Base}/due/run", new { }, HttpStatusCode.Forbidden);

        Assert.Empty(report.GetProperty("problems").EnumerateArray());
    }

    [Fact]
    public async Task Calibrations_ManagerCreates_AuditorReads_OperatorMayNotCreate()
    {
        var body = new { device = "mr-01", instrument = "Helium level probe", intervalMonths = 12, certificate = "C-1", due = "2026-09-30" };
        await _host.Client(Role.Operator).SendJsonAsync(HttpMethod.Post, $"{Base}/calibrations", body, HttpStatusCode.Forbidden);
        var created = await _host.Client(Role.Manager).SendJsonAsync(HttpMethod.Post, $"{Base}/calibrations", body, HttpStatusCode.Created);
        var id = created.GetProperty("item").GetProperty("id").GetInt64();

        var read = await _host.Client(Role.Auditor).GetJsonAsync($"{Base}/calibrations/{id}");

        Assert.Equal(("C-1", "Asia/Shanghai", false), (read.GetProperty("item").GetProperty("certificate").GetString(), read.GetProperty("timeZone").GetString(),
            read.GetProperty("overdue").GetBoolean()));
        await _host.Client(Role.Manager).SendJsonAsync(HttpMethod.Delete, $"{Base}/calibrations/{id}", new { }, HttpStatusCode.NoContent);
        await _host.Client(Role.Auditor).GetJsonAsync($"{Base}/calibrations/{id}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListWorkOrders_BadParameters_Are400NamingThem()
    {
        var problem = await _host.Client(Role.Auditor).GetJsonAsync($"{Base}/work-orders?state=finished&overdue=maybe", HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("state", out _));
        Assert.True(errors.TryGetProperty("overdue", out _));
    }

    [Fact]
    public async Task GetWorkOrder_Unknown_Is404()
    {
        await _host.Client(Role.Auditor).GetJsonAsync($"{Base}/work-orders/999999", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Endpoints_AreAudited()
    {
        await _host.Client(Role.Auditor).GetJsonAsync($"{Base}/overdue");
        var audit = await _host.Get<IAuditLog>().QueryAsync(new AuditQuery(Actor: "auditor-token", ActionPrefix: $"GET {Base}/overdue"), CancellationToken.None);

        Assert.NotEmpty(audit);
    }

    [Fact]
    public async Task OpenApiDocument_EveryMaintenanceOperation_HasNameSummaryBearerSecurityAnd401()
    {
        using var document = JsonDocument.Parse(await (await _host.Client(null).GetAsync(ApiJson.U("/openapi/v1.json"))).Content.ReadAsStringAsync());
        var operations = document.RootElement.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith(Base, StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name, Operation: o.Value))).ToList();

        Assert.Equal(20, operations.Count);
        foreach (var (path, method, op) in operations)
        {
            Assert.True(op.TryGetProperty("operationId", out _), $"{method} {path} has no operationId");
            Assert.True(op.TryGetProperty("summary", out _), $"{method} {path} has no summary");
            Assert.True(op.TryGetProperty("security", out var security) && security.GetArrayLength() > 0, $"{method} {path} has no security");
            Assert.True(op.GetProperty("responses").TryGetProperty("401", out _), $"{method} {path} does not document 401");
        }
    }

    private static List<long> Ids(JsonElement list) => [.. list.EnumerateArray().Select(v => v.GetProperty("workOrder").GetProperty("id").GetInt64())];
}
