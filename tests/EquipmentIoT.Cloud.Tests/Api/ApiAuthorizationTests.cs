using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EquipmentIoT.Cloud.Api.Auditing;
using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EquipmentIoT.Cloud.Tests.Api;

/// <summary>Every endpoint of the OpenAPI document: documented, behind a token, and closed to changes by auditors.</summary>
public sealed partial class ApiAuthorizationTests(StubbedApiFixture fixture) : IClassFixture<StubbedApiFixture>
{
    private readonly ApiHost _host = fixture.Host;

    private async Task<List<(string Method, string Path, JsonElement Operation)>> OperationsAsync()
    {
        using var response = await _host.Client(null).GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var operations = new List<(string, string, JsonElement)>();
        foreach (var path in doc.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var op in path.Value.EnumerateObject())
            {
                if (op.Name is "parameters" or "summary" or "description") continue;
                operations.Add((op.Name.ToUpperInvariant(), path.Name, op.Value.Clone()));
            }
        }
        return operations;
    }

    // Path parameters get "1": a valid agent, device, metric and kid text, and a valid token id.
    private static Uri Fill(string path) => new(PathParameter().Replace(path, "1"), UriKind.Relative);

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), Fill(path))
    {
        Content = method is "POST" or "PUT" ? new StringContent("{}", Encoding.UTF8, "application/json") : null,
    };

    [Fact]
    public async Task OpenApiDocument_ListsEveryApiEndpoint_WithNameSummaryAndBearerSecurity()
    {
        var operations = await OperationsAsync();
        var endpoints = _host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<AuditedEndpoint>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m =>
                $"{m} {ConstraintSuffix().Replace("/" + e.RoutePattern.RawText!.TrimStart('/'), "}").TrimEnd('/')}"))
            .Order(StringComparer.Ordinal).ToList();
        var documented = operations.Select(o => $"{o.Method} {o.Path.TrimEnd('/')}").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(endpoints, documented);
        Assert.True(operations.Count >= 22, $"only {operations.Count} operations documented");
        foreach (var (method, path, op) in operations)
        {
            Assert.True(op.TryGetProperty("operationId", out _), $"{method} {path} has no operationId");
            Assert.True(op.TryGetProperty("summary", out _), $"{method} {path} has no summary");
            Assert.True(op.TryGetProperty("security", out var security) && security.GetArrayLength() > 0, $"{method} {path} has no security requirement");
            Assert.True(op.GetProperty("responses").TryGetProperty("401", out _), $"{method} {path} does not document 401");
        }
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheBearerSchemeAndInstantsAsDateTimeStrings()
    {
        using var response = await _host.Client(null).GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var scheme = doc.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var schemas = doc.RootElement.GetProperty("components").GetProperty("schemas");
        var agent = schemas.GetProperty("AgentRecord").GetProperty("properties");
        Assert.Equal("#/components/schemas/Instant", agent.GetProperty("registered").GetProperty("$ref").GetString());
        Assert.Equal("string", schemas.GetProperty("Instant").GetProperty("type").GetString());
        Assert.Equal("date-time", schemas.GetProperty("Instant").GetProperty("format").GetString());
        Assert.Equal("date", schemas.GetProperty("LocalDate").GetProperty("format").GetString());
        Assert.Equal("number", schemas.GetProperty("SeriesPoint").GetProperty("properties").GetProperty("value").GetProperty("type").GetString());
    }

    [Fact]
    public async Task EveryEndpoint_WithoutToken_Is401WithBearerChallenge()
    {
        var client = _host.Client(null);
        foreach (var (method, path, _) in await OperationsAsync())
        {
            using var response = await client.SendAsync(Request(method, path));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode} without a token");
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task EveryEndpoint_WithUnknownToken_Is401()
    {
        var client = _host.ClientWith("eqt_" + new string('A', 43));
        foreach (var (method, path, _) in await OperationsAsync())
        {
            using var response = await client.SendAsync(Request(method, path));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode} to an unknown token");
            Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EveryChangingEndpoint_AsAuditor_Is403()
    {
        var client = _host.Client(Role.Auditor);
        var changing = (await OperationsAsync()).Where(o => o.Method != "GET").ToList();
        Assert.NotEmpty(changing);
        foreach (var (method, path, _) in changing)
        {
            using var response = await client.SendAsync(Request(method, path));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} answered {(int)response.StatusCode} to an auditor");
        }
    }

    [Fact]
    public async Task EveryReadingEndpoint_AsAuditor_IsNotDenied()
    {
        var client = _host.Client(Role.Auditor);
        foreach (var (method, path, _) in (await OperationsAsync()).Where(o => o.Method == "GET"))
        {
            using var response = await client.SendAsync(Request(method, path));
            Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                $"{method} {path} denied an auditor ({(int)response.StatusCode})");
        }
    }

    [Theory]
    [InlineData("PUT", "/api/v1/sites/s1", Role.Operator, HttpStatusCode.Forbidden)]
    [InlineData("PUT", "/api/v1/sites/s1", Role.Engineer, HttpStatusCode.Forbidden)]
    [InlineData("PUT", "/api/v1/sites/s1", Role.Manager, HttpStatusCode.OK)]
    [InlineData("PUT", "/api/v1/sites/s1", Role.Admin, HttpStatusCode.OK)]
    [InlineData("PUT", "/api/v1/devices/ct-01/asset", Role.Operator, HttpStatusCode.Forbidden)]
    [InlineData("PUT", "/api/v1/devices/ct-01/asset", Role.Manager, HttpStatusCode.OK)]
    [InlineData("POST", "/api/v1/agents", Role.Manager, HttpStatusCode.Forbidden)]
    [InlineData("POST", "/api/v1/agents", Role.Engineer, HttpStatusCode.Forbidden)]
    [InlineData("GET", "/api/v1/audit", Role.Operator, HttpStatusCode.Forbidden)]
    [InlineData("GET", "/api/v1/audit", Role.Manager, HttpStatusCode.Forbidden)]
    [InlineData("GET", "/api/v1/audit", Role.Auditor, HttpStatusCode.OK)]
    [InlineData("GET", "/api/v1/audit", Role.Admin, HttpStatusCode.OK)]
    [InlineData("GET", "/api/v1/tokens", Role.Manager, HttpStatusCode.Forbidden)]
    [InlineData("GET", "/api/v1/tokens", Role.Auditor, HttpStatusCode.OK)]
    [InlineData("POST", "/api/v1/tokens", Role.Manager, HttpStatusCode.Forbidden)]
    [InlineData("GET", "/api/v1/tokens", Role.Admin, HttpStatusCode.OK)]
    [InlineData("GET", "/api/v1/quarantine?payload=true", Role.Operator, HttpStatusCode.Forbidden)]
    [InlineData("GET", "/api/v1/quarantine?payload=true", Role.Manager, HttpStatusCode.Forbidden)]
    [InlineData("GET", "/api/v1/quarantine?payload=true", Role.Engineer, HttpStatusCode.OK)]
    [InlineData("GET", "/api/v1/quarantine?payload=true", Role.Auditor, HttpStatusCode.OK)]
    [InlineData("GET", "/api/v1/quarantine", Role.Operator, HttpStatusCode.OK)]
    [InlineData("GET", "/api/v1/devices", Role.Operator, HttpStatusCode.OK)]
    public async Task Endpoint_ByRole_AllowsOrDenies(string method, string path, Role role, HttpStatusCode expected)
    {
        var body = path switch
        {
            "/api/v1/sites/s1" => """{"name":"Site 1","timeZone":"Asia/Shanghai"}""",
            "/api/v1/devices/ct-01/asset" => """{"deviceClass":"CT"}""",
            _ => "{}",
        };
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative))
        {
            Content = method == "GET" ? null : new StringContent(body, Encoding.UTF8, "application/json"),
        };
        using var response = await _host.Client(role).SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_Anonymous_IsHealthy()
    {
        using var response = await _host.Client(null).GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex PathParameter();

    [GeneratedRegex(@":[a-z]+\}")]
    private static partial Regex ConstraintSuffix();
}
