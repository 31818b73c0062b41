using EquipmentIoT.Cloud.Notifications.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace EquipmentIoT.Cloud.Notifications.Sms;

/// <summary>
/// <c>GET /notifications/v1/sms/dlr/{id}/{token}?status=%d&amp;at=%T&amp;detail=%A</c>: Kannel's delivery reports.
/// Anonymous, since Kannel sends no credentials; the per-message token in the path (128 random bits, made when the
/// message was enqueued) is what proves the caller got the URL from us. Unknown id or wrong token: 404, the same
/// answer for both. A status that is not one of Kannel's codes: 400.
/// </summary>
public static class DeliveryReportEndpoint
{
    /// <summary>The route pattern.</summary>
    public const string Route = "/" + KannelSmsSender.DeliveryReportPath + "/{id:long}/{token}";

    /// <summary>Maps the endpoint (not audited, not in the OpenAPI document).</summary>
    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.MapGet(Route, HandleAsync).AllowAnonymous().ExcludeFromDescription();
    }

    private static async Task<Results<Ok<string>, NotFound, BadRequest<string>>> HandleAsync(long id, string token, string? status, string? at,
        string? detail, INotificationStore store, IClock clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(DeliveryReportEndpoint).FullName!);
        var received = clock.GetCurrentInstant();
        if (!int.TryParse(status, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
            || !KannelDeliveryReport.IsKnown(code))
        {
            NotificationLog.DeliveryReportRefused(logger, $"the status for message {id} is not a Kannel delivery report code");
            return TypedResults.BadRequest("status must be 1, 2, 4, 8 or 16");
        }
        // %T is the SMSC's Unix time; when absent or absurd the time of receipt stands in.
        var when = long.TryParse(at, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            && seconds is > 0 and < 32_503_680_000 ? Instant.FromUnixTimeSeconds(seconds) : received;
        var outcome = await store.RecordDeliveryReportAsync(id, token, code, when, detail, received, cancellationToken).ConfigureAwait(false);
        if (outcome == DeliveryReportOutcome.NotFound)
        {
            NotificationLog.DeliveryReportRefused(logger, $"no message {id} with this token");
            return TypedResults.NotFound();
        }
        var meaning = KannelDeliveryReport.Describe(code);
        NotificationLog.DeliveryReport(logger, id, code, meaning);
        return TypedResults.Ok("ok");
    }
}
