using System.Security.Claims;
using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Notifications;
using EquipmentIoT.Cloud.Notifications.Outbox;
using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Rules.Parsing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using NodaTime;

namespace EquipmentIoT.Cloud.Api.Endpoints;

/// <summary>A comment for an alarm command; <c>until</c> for shelving (RFC 3339).</summary>
public sealed record AlarmCommandRequest(string? Comment = null, string? Until = null);

/// <summary>
/// Alarms (open ones, history, one with its transitions; acknowledge, shelve, unshelve, resolve by engineers and
/// managers), the rules in force, and the notification outbox (every message sent and its delivery).
/// </summary>
internal static class AlarmEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var alarms = api.MapGroup("/alarms").WithTags("Alarms");
        alarms.MapGet("", ListAsync).WithName("ListAlarms")
            .WithSummary("Alarms: open ones (default) most severe first, or history (open=false|all) by device, site, severity, state, rule, period");
        alarms.MapGet("/{id:long}", GetAsync).WithName("GetAlarm").WithSummary("One alarm with every transition").ProducesProblem(StatusCodes.Status404NotFound);
        foreach (var (action, summary) in new[]
                 {
                     ("acknowledge", "Acknowledges an alarm (who and a comment are recorded)"),
                     ("shelve", "Shelves an alarm until a time: no notifications meanwhile"),
                     ("unshelve", "Ends a shelf early"),
                     ("resolve", "Resolves an alarm by hand (the rule raises again only after its condition clears and returns)"),
                 })
        {
            alarms.MapPost($"/{{id:long}}/{action}", (long id, AlarmCommandRequest request, ClaimsPrincipal user, [FromServices] AlarmManager manager,
                    [FromServices] IAlarmStore store, IClock clock, CancellationToken cancellationToken) =>
                    CommandAsync(action, id, request, user, manager, store, clock, cancellationToken))
                .WithName($"{char.ToUpperInvariant(action[0])}{action[1..]}Alarm").WithSummary(summary)
                .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
                .RequireAuthorization(ApiPolicies.HandleAlarms);
        }

        api.MapGet("/rules", (RuleRuntimeAccessor rules) => TypedResults.Ok<IReadOnlyList<RuleView>>([.. rules.Rules.Select(RuleView.Of)]))
            .WithTags("Alarms").WithName("ListRules")
            .WithSummary("The QC rules in force (shipped defaults, files, configuration, stored)");
        api.MapPut("/rules/{id}", SaveRuleAsync).WithTags("Alarms").WithName("SaveRule")
            .WithSummary("Adds or replaces a stored rule (the rules-file JSON form of one rule; its id must be the path's); in force at once")
            .Accepts<RuleView>("application/json").ProducesProblem(StatusCodes.Status400BadRequest).RequireAuthorization(ApiPolicies.ManageAssets);
        api.MapDelete("/rules/{id}", DeleteRuleAsync).WithTags("Alarms").WithName("DeleteRule")
            .WithSummary("Deletes a stored rule (a shipped or configured rule of the same id applies again)")
            .ProducesProblem(StatusCodes.Status404NotFound).RequireAuthorization(ApiPolicies.ManageAssets);

        var notifications = api.MapGroup("/notifications").WithTags("Notifications");
        notifications.MapGet("", ListNotificationsAsync).WithName("ListNotifications")
            .WithSummary("Messages of the outbox newest first, with their attempts and delivery reports (status, channel, recipient, key, period)");
        notifications.MapGet("/{id:long}", GetNotificationAsync).WithName("GetNotification").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One message with its attempts and delivery reports");
        notifications.MapPost("/{id:long}/requeue", RequeueAsync).WithName("RequeueNotification")
            .WithSummary("Sends a permanently failed message again (after fixing the gateway's settings)")
            .ProducesProblem(StatusCodes.Status404NotFound).RequireAuthorization(ApiPolicies.ManageAssets);
    }

    private static async Task<Results<Ok<RuleView>, ProblemHttpResult>> SaveRuleAsync(string id, HttpRequest request, ClaimsPrincipal user,
        [FromServices] IRuleStore store, [FromServices] RuleRuntime runtime, IClock clock, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        var read = RuleDocuments.ParseJson($"[{text}]", "request");
        if (read.Errors.Count > 0) return ApiProblems.BadRequest(string.Join("; ", read.Errors));
        if (read.Rules.Count != 1 || read.Rules[0].Id != id) return ApiProblems.BadRequest($"the body must be one rule whose id is '{id}'");
        await store.SaveAsync(read.Rules[0], user.Identity?.Name ?? "?", clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
        await runtime.ReloadRulesAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(RuleView.Of(read.Rules[0]));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteRuleAsync(string id, [FromServices] IRuleStore store,
        [FromServices] RuleRuntime runtime, CancellationToken cancellationToken)
    {
        if (!await store.DeleteAsync(id, cancellationToken).ConfigureAwait(false)) return ApiProblems.NotFound($"no stored rule '{id}'");
        await runtime.ReloadRulesAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<IReadOnlyList<Alarm>>, ValidationProblem>> ListAsync(string? open, string? device, string? site, string? severity,
        string? state, string? rule, string? from, string? to, string? limit, [FromServices] IAlarmStore store, CancellationToken cancellationToken)
    {
        var p = new ApiParameters();
        bool? isOpen = open switch
        {
            null or "" or "true" => true,
            "false" => false,
            "all" => null,
            _ => Invalid(p, "open", "true, false or all"),
        };
        var query = new AlarmQuery(isOpen, device, site, p.Enum<AlarmSeverity>("severity", severity), p.Enum<AlarmState>("state", state), rule,
            p.Instant("from", from), p.Instant("to", to), p.Int("limit", limit, 100, 1, 1000));
        if (p.Failed) return p.Problem();
        return TypedResults.Ok(await store.ListAsync(query, cancellationToken).ConfigureAwait(false));
    }

    private static bool? Invalid(ApiParameters p, string name, string expected)
    {
        p.Error(name, $"must be {expected}");
        return null;
    }

    private static async Task<Results<Ok<AlarmDetail>, ProblemHttpResult>> GetAsync(long id, [FromServices] IAlarmStore store, CancellationToken cancellationToken) =>
        await store.GetDetailAsync(id, cancellationToken).ConfigureAwait(false) is { } detail ? TypedResults.Ok(detail) : ApiProblems.NotFound($"no alarm {id}");

    private static async Task<Results<Ok<AlarmDetail>, ProblemHttpResult, ValidationProblem>> CommandAsync(string action, long id, AlarmCommandRequest request,
        ClaimsPrincipal user, AlarmManager manager, IAlarmStore store, IClock clock, CancellationToken cancellationToken)
    {
        var actor = user.Identity?.Name ?? "?";
        var now = clock.GetCurrentInstant();
        AlarmCommandResult result;
        switch (action)
        {
            case "acknowledge":
                result = await manager.AcknowledgeAsync(id, actor, request.Comment, now, cancellationToken).ConfigureAwait(false);
                break;
            case "shelve":
                var p = new ApiParameters();
                var until = p.Instant("until", request.Until);
                if (until is null && !p.Failed) p.Error("until", "required: when the shelf ends, e.g. 2026-12-02T18:00:00+08:00");
                if (p.Failed) return p.Problem();
                result = await manager.ShelveAsync(id, until!.Value, actor, request.Comment, now, cancellationToken).ConfigureAwait(false);
                break;
            case "unshelve":
                result = await manager.UnshelveAsync(id, actor, request.Comment, now, cancellationToken).ConfigureAwait(false);
                break;
            default:
                result = await manager.ResolveAsync(id, actor, request.Comment, now, cancellationToken).ConfigureAwait(false);
                break;
        }

        if (!result.Success)
            return result.Reason!.StartsWith("no alarm", StringComparison.Ordinal) ? ApiProblems.NotFound(result.Reason) : ApiProblems.Conflict(result.Reason);
        return TypedResults.Ok((await store.GetDetailAsync(id, cancellationToken).ConfigureAwait(false))!);
    }

    private static async Task<Results<Ok<IReadOnlyList<NotificationEntry>>, ValidationProblem>> ListNotificationsAsync(string? status, string? channel,
        string? recipient, string? key, string? from, string? to, string? limit, [FromServices] INotificationStore store, CancellationToken cancellationToken)
    {
        var p = new ApiParameters();
        var s = NotificationText.StatusOf(status);
        if (status is not null && s is null) p.Error("status", "pending, sending, sent, delivered or failed");
        var c = NotificationText.ChannelOf(channel);
        if (channel is not null && c is null) p.Error("channel", "sms, email or webhook");
        var query = new NotificationQuery
        {
            Status = s, Channel = c, Recipient = recipient, DeduplicationKey = key, CreatedFrom = p.Instant("from", from), CreatedTo = p.Instant("to", to),
            Limit = p.Int("limit", limit, 100, 1, NotificationQuery.MaxLimit),
        };
        if (p.Failed) return p.Problem();
        return TypedResults.Ok(await store.QueryAsync(query, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<NotificationEntry>, ProblemHttpResult>> GetNotificationAsync(long id, [FromServices] INotificationStore store,
        CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } entry ? TypedResults.Ok(entry) : ApiProblems.NotFound($"no message {id}");

    private static async Task<Results<Ok<NotificationEntry>, ProblemHttpResult>> RequeueAsync(long id, [FromServices] INotificationStore store, IClock clock,
        CancellationToken cancellationToken)
    {
        if (!await store.RequeueAsync(id, clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false))
            return ApiProblems.Conflict($"message {id} does not exist or has not failed permanently");
        return TypedResults.Ok((await store.GetAsync(id, cancellationToken).ConfigureAwait(false))!);
    }
}

/// <summary>A rule as the API shows it: its definition in the rules-file JSON form.</summary>
public sealed record RuleView(string Id, string? Description, AlarmSeverity Severity, bool Enabled, System.Text.Json.JsonElement Definition)
{
    public static RuleView Of(RuleDefinition rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        using var definition = System.Text.Json.JsonDocument.Parse(Rules.Parsing.RuleWriter.ToJson(rule));
        return new RuleView(rule.Id, rule.Description, rule.Severity, rule.Enabled, definition.RootElement.Clone());
    }
}

/// <summary>The rules in force, or none when the rules are not part of this host.</summary>
internal sealed class RuleRuntimeAccessor(IServiceProvider services)
{
    public IReadOnlyList<RuleDefinition> Rules => services.GetService<RuleRuntime>()?.Rules ?? [];
}
