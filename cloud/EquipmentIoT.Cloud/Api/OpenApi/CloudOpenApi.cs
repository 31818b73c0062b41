using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using NodaTime;

namespace EquipmentIoT.Cloud.Api.OpenApi;

/// <summary>OpenAPI document settings: the bearer scheme, security per operation, NodaTime types as strings.</summary>
internal static class CloudOpenApi
{
    private const string SchemeId = "Bearer";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "EquipmentIoT cloud API",
                Version = "v1",
                Description = "Devices, series, events, usage, integrity and records of the EquipmentIoT cloud. Every /api/v1 request needs an API token "
                    + "(Authorization: Bearer eqt_…) and is written to the audit log.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
            document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "eqt_ + 43 base64url characters",
                Description = "An API token created by an admin (POST /api/v1/tokens or ./eqiot cloud tokens add). Roles: auditor, operator, engineer, manager, admin.",
            };
            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (!metadata.OfType<IAuthorizeData>().Any() || metadata.OfType<IAllowAnonymous>().Any()) return Task.CompletedTask;
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, context.Document)] = [] });
            operation.Responses ??= [];
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No token, or an unknown, expired or revoked one" });
            operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The token's role does not allow this" });
            operation.Responses.TryAdd("503", new OpenApiResponse { Description = "A store did not answer" });
            return Task.CompletedTask;
        });

        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
            if (type == typeof(Instant))
            {
                SetString(schema, "date-time", "RFC 3339 UTC, e.g. 2026-03-01T08:00:00Z");
            }
            else if (type == typeof(LocalDate))
            {
                SetString(schema, "date", "ISO date, e.g. 2026-03-01");
            }
            else if (type == typeof(EventValue))
            {
                schema.Properties?.Clear();
                schema.Type = JsonSchemaType.String | JsonSchemaType.Number | JsonSchemaType.Boolean;
                schema.Description = "the attribute as sent: a string, a number or a boolean";
            }
            return Task.CompletedTask;
        });
    }

    private static void SetString(OpenApiSchema schema, string format, string description)
    {
        schema.Properties?.Clear();
        schema.Type = JsonSchemaType.String;
        schema.Format = format;
        schema.Description = description;
    }
}
