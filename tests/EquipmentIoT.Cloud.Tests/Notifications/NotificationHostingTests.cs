using System.Net;
using EquipmentIoT.Cloud.Notifications;
using EquipmentIoT.Cloud.Notifications.Outbox;
using EquipmentIoT.Cloud.Notifications.Sms;
using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;

namespace EquipmentIoT.Cloud.Tests.Notifications;

/// <summary>AddNotifications and MapNotificationEndpoints as the host uses them: options validated at start, and Kannel's delivery-report callback.</summary>
public sealed class NotificationHostingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eqiot-notify-host-").FullName;
    private readonly FakeClock _clock = new(NotificationTestKit.T0);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<WebApplication> StartAsync(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cloud:DataDirectory"] = _dir,
            ["Notifications:DispatcherEnabled"] = "false",
        }).AddInMemoryCollection(settings);
        builder.Services.AddSingleton<IClock>(_clock);
        builder.Services.AddRouting();
        builder.Services.AddAuthorization();
        builder.Services.AddNotifications(builder.Configuration);
        var app = builder.Build();
        app.MapNotificationEndpoints();
        await app.Services.InitializeStoresAsync(CancellationToken.None);
        await app.StartAsync();
        return app;
    }

    private Dictionary<string, string?> Sms()
    {
        var password = Path.Combine(_dir, "kannel-password");
        File.WriteAllText(password, "pw\n");
        return new()
        {
            ["Notifications:Sms:SendSmsUrl"] = "http://127.0.0.1:13013/cgi-bin/sendsms",
            ["Notifications:Sms:UserName"] = "eqiot",
            ["Notifications:Sms:PasswordFile"] = password,
            ["Notifications:Sms:DeliveryReportBaseUrl"] = "http://127.0.0.1:8080",
        };
    }

    [Fact]
    public async Task DeliveryReport_RightToken_MarksTheMessageDelivered()
    {
        await using var app = await StartAsync(Sms());
        var outbox = app.Services.GetRequiredService<INotificationOutbox>();
        var store = app.Services.GetRequiredService<INotificationStore>();
        var message = (await outbox.EnqueueAsync(NotificationTestKit.Sms("k"), CancellationToken.None)).Message!;
        var claim = (await store.TryClaimAsync(message.Id, "test", _clock.GetCurrentInstant(), CancellationToken.None))!;
        await store.CompleteAsync(claim, new(AttemptOutcome.Sent, "ok", null, _clock.GetCurrentInstant(), NotificationStatus.Sent, null), CancellationToken.None);

        var url = KannelSmsSender.DeliveryReportUrl(new Uri("http://localhost"), message.Id, claim.DeliveryReportToken!)
            .Replace("%d", "1", StringComparison.Ordinal).Replace("%T", "1795431700", StringComparison.Ordinal).Replace("%A", "id%3A1+stat%3ADELIVRD", StringComparison.Ordinal);
        using var client = app.GetTestClient();
        using var response = await client.GetAsync(new Uri(url));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = (await store.GetAsync(message.Id, CancellationToken.None))!;
        Assert.Equal(NotificationStatus.Delivered, entry.Message.Status);
        Assert.Equal(Instant.FromUnixTimeSeconds(1795431700), entry.Message.DeliveredAt);
        Assert.Equal("id:1 stat:DELIVRD", Assert.Single(entry.Reports).Detail);
    }

    [Theory]
    [InlineData("wrong-token", "1", HttpStatusCode.NotFound)]
    [InlineData(null, "3", HttpStatusCode.BadRequest)]
    [InlineData(null, "%d", HttpStatusCode.BadRequest)]
    [InlineData(null, "", HttpStatusCode.BadRequest)]
    public async Task DeliveryReport_WrongTokenOrStatus_RefusedAndNothingChanges(string? token, string status, HttpStatusCode expected)
    {
        await using var app = await StartAsync(Sms());
        var store = app.Services.GetRequiredService<INotificationStore>();
        var message = (await app.Services.GetRequiredService<INotificationOutbox>().EnqueueAsync(NotificationTestKit.Sms("k"), CancellationToken.None)).Message!;
        var claim = (await store.TryClaimAsync(message.Id, "test", _clock.GetCurrentInstant(), CancellationToken.None))!;
        using var client = app.GetTestClient();
        using var response = await client.GetAsync(new Uri(
            $"http://localhost/notifications/v1/sms/dlr/{message.Id}/{token ?? claim.DeliveryReportToken}?status={Uri.EscapeDataString(status)}", UriKind.Absolute));
        Assert.Equal(expected, response.StatusCode);
        var entry = (await store.GetAsync(message.Id, CancellationToken.None))!;
        Assert.Empty(entry.Reports);
        Assert.Equal(NotificationStatus.Sending, entry.Message.Status);
    }

    [Theory]
    [InlineData("Notifications:Sms:SendSmsUrl", "ftp://kannel/cgi-bin/sendsms", "absolute http:// or https://")]
    [InlineData("Notifications:Sms:PasswordFile", "/nonexistent/password", "does not exist")]
    [InlineData("Notifications:Sms:MaxParts", "11", "MaxParts")]
    [InlineData("Notifications:SendTimeout", "00:10:00", "SendingLease must be longer")]
    [InlineData("Notifications:RetryMaxDelay", "00:00:01", "RetryMaxDelay must not be shorter")]
    [InlineData("Notifications:Email:Host", "smtp.hospital.example", "Notifications:Email:From")]
    [InlineData("Notifications:Webhooks:ops:Url", "http://127.0.0.1:9/x", "SecretFile")]
    public async Task AddNotifications_BadSetting_FailsAtStartNamingIt(string key, string value, string complaint)
    {
        var settings = Sms();
        settings[key] = value;
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(settings));
        Assert.Contains(complaint, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddNotifications_Defaults_BindAndValidate()
    {
        await using var app = await StartAsync([]);
        var options = app.Services.GetRequiredService<IOptions<NotificationOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(5), options.PollInterval);
        Assert.False(options.Sms.IsConfigured);
        Assert.False(options.Email.IsConfigured);
        var refused = await app.Services.GetRequiredService<INotificationOutbox>().EnqueueAsync(NotificationTestKit.Sms("k"), CancellationToken.None);
        Assert.Equal("the sms channel is not configured", refused.Error);
        Assert.DoesNotContain(app.Services.GetServices<IHostedService>(), s => s is EquipmentIoT.Cloud.Notifications.Dispatch.NotificationDispatcher);
    }
}
