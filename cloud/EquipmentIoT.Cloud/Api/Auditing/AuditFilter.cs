using System.Net.Sockets;
using EquipmentIoT.Cloud.Builds;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Usage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Cloud.Api.Auditing;

/// <summary>
/// Runs around every API endpoint: turns rule violations into 400 problems and store failures into 503
/// problems (never a 404: an outage is not an absence), then writes the audit entry with the final status
/// before the response leaves — if the audit log cannot be written, the caller gets a 503, not the data.
/// </summary>
public sealed partial class AuditFilter(ApiAudit audit, ILogger<AuditFilter> logger) : IEndpointFilter
{
    /// <inheritdoc/>
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        object? result;
        try
        {
            result = await next(context).ConfigureAwait(false);
        }
        catch (RegistryException ex)
        {
            result = TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "Registry rule");
        }
        catch (BuildException ex)
        {
            result = TypedResults.Problem(ex.Message, statusCode: ex.Problem switch
            {
                BuildProblem.NotFound => StatusCodes.Status404NotFound,
                BuildProblem.Conflict => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            }, title: "Build record rule");
        }
        catch (UsageException ex)
        {
            result = TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "Usage request");
        }
        catch (Exception ex) when (IsOutage(ex))
        {
            LogOutage(logger, ex, context.HttpContext.Request.Path);
            result = TypedResults.Problem("A store did not answer; try again shortly.", statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Store unavailable");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailure(logger, ex, context.HttpContext.Request.Path);
            await audit.RecordAsync(context.HttpContext, StatusCodes.Status500InternalServerError, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        try
        {
            // Not the request's token: a client that hangs up after asking is audited all the same.
            await audit.RecordAsync(context.HttpContext, StatusOf(result), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsOutage(ex))
        {
            LogAuditFailed(logger, ex, context.HttpContext.Request.Path);
            return TypedResults.Problem("The audit log cannot be written, so the request is refused.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Audit log unavailable");
        }
        return result;
    }

    /// <summary>The status code a handler's result will send (200 for plain values).</summary>
    internal static int StatusOf(object? result) => result switch
    {
        INestedHttpResult nested => StatusOf(nested.Result),
        IStatusCodeHttpResult { StatusCode: { } code } => code,
        _ => StatusCodes.Status200OK,
    };

    // SQLite's "cannot work now" family: busy, locked, read-only, I/O error, corrupt, full, cannot open.
    private static bool IsOutage(Exception ex) => ex switch
    {
        SqliteException s => s.SqliteErrorCode is 5 or 6 or 8 or 10 or 11 or 13 or 14 or 26,
        IOException or SocketException or TimeoutException => true,
        _ => false,
    };

    [LoggerMessage(1, LogLevel.Error, "A store failed while serving {Path}")]
    private static partial void LogOutage(ILogger logger, Exception ex, PathString path);

    [LoggerMessage(2, LogLevel.Error, "Unexpected failure while serving {Path}")]
    private static partial void LogFailure(ILogger logger, Exception ex, PathString path);

    [LoggerMessage(3, LogLevel.Error, "The audit entry for {Path} could not be written; the response was withheld")]
    private static partial void LogAuditFailed(ILogger logger, Exception ex, PathString path);
}
