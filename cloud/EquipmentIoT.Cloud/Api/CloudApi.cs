using System.Text.Json;
using System.Text.Json.Serialization;
using EquipmentIoT.Cloud.Api.Auditing;
using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Api.Endpoints;
using EquipmentIoT.Cloud.Api.Json;
using EquipmentIoT.Cloud.Api.OpenApi;
using EquipmentIoT.Cloud.Usage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;

namespace EquipmentIoT.Cloud.Api;

/// <summary>
/// The HTTP API: <c>/api/v1</c> (token auth, roles, audit), <c>/openapi/v1.json</c> and <c>/healthz</c> (both
/// anonymous, not audited). The stores (IRegistryStore, IAuditLog, IApiTokenStore, ITelemetryLedger,
/// ISeriesStore) are registered elsewhere.
/// </summary>
public static class CloudApi
{
    /// <summary>The API's base path.</summary>
    public const string BasePath = "/api/v1";

    /// <summary>Registers authentication, authorization policies, JSON settings, OpenAPI, health checks and the API's services.</summary>
    public static IServiceCollection AddCloudApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IClock>(NodaTime.SystemClock.Instance);
        services.AddSingleton<ApiTokenCache>();
        services.AddSingleton<ApiAudit>();
        services.AddSingleton<UsageStatistics>();
        services.AddSingleton<RuleRuntimeAccessor>();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(options => Configure(options.SerializerOptions));

        services.AddAuthentication(ApiTokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        var authorization = services.AddAuthorizationBuilder();
        foreach (var (name, roles) in ApiPolicies.Roles)
            authorization.AddPolicy(name, policy => policy.RequireAuthenticatedUser().RequireRole(roles.Select(ApiPolicies.ClaimOf)));

        services.AddOpenApi(CloudOpenApi.Configure);
        services.AddHealthChecks().AddCheck<StoresHealthCheck>("stores");
        return services;
    }

    /// <summary>Maps <c>/api/v1/…</c>, <c>/openapi/v1.json</c> and <c>/healthz</c>.</summary>
    public static IEndpointRouteBuilder MapCloudApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup(BasePath)
            .RequireAuthorization(ApiPolicies.Read)
            .AddEndpointFilter<AuditFilter>()
            .WithMetadata(AuditedEndpoint.Instance);
        AgentEndpoints.Map(api);
        DeviceEndpoints.Map(api);
        SeriesEndpoints.Map(api);
        SiteEndpoints.Map(api);
        EventEndpoints.Map(api);
        UsageEndpoints.Map(api);
        QuarantineEndpoints.Map(api);
        IntegrityEndpoints.Map(api);
        AuditEndpoints.Map(api);
        TokenEndpoints.Map(api);
        BuildEndpoints.Map(api);
        AlarmEndpoints.Map(api);
        MaintenanceEndpoints.Map(api);
        LicenceEndpoints.Map(api);

        app.MapOpenApi().AllowAnonymous();
        app.MapHealthChecks("/healthz").AllowAnonymous();
        return app;
    }

    /// <summary>The API's JSON settings (also for clients and tests that read its answers).</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        // Numbers are numbers: the web default also reads them from strings, which the OpenAPI document then shows as number|string.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new InstantJsonConverter());
        options.Converters.Add(new LocalDateJsonConverter());
        options.Converters.Add(new EventValueJsonConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    }
}
