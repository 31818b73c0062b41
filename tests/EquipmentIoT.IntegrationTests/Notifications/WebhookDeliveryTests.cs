using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using EquipmentIoT.Cloud.Notifications;
using EquipmentIoT.Cloud.Notifications.Webhooks;
using EquipmentIoT.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace EquipmentIoT.IntegrationTests.Notifications;

/// <summary>Signed webhooks to a real Kestrel receiver that checks the HMAC as an integrator would; retries on 5xx, none on 4xx.</summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private const string Secret = "whsec-8f2c1e7a9b";
    private readonly string _data = Directory.CreateTempSubdirectory("eqiot-notify-hook-").FullName;
    private readonly ConcurrentQueue<(string Delivery, string? Refusal, byte[] Body)> _received = new();
    private readonly ConcurrentQueue<int> _answers = new();
    private WebApplication _receiver = null!;
    private Uri _url = null!;

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        _url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/hooks/eqiot");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        builder.Logging.ClearProviders();
        _receiver = builder.Build();
        _receiver.MapPost("/hooks/eqiot", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var refusal = WebhookSignature.Verify(Secret, request.Headers[WebhookSignature.TimestampHeader], request.Headers[WebhookSignature.SignatureHeader], body,
                SystemClock.Instance.GetCurrentInstant(), Duration.FromMinutes(5));
            _received.Enqueue((request.Headers[WebhookSignature.DeliveryHeader].ToString(), refusal, body));
            if (refusal is not null) return Results.Unauthorized();
            return Results.StatusCode(_answers.TryDequeue(out var status) ? status : StatusCodes.Status204NoContent);
        });
        await _receiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private Task<NotificationHost> CloudAsync(string secret = Secret)
    {
        var secretFile = Path.Combine(_data, "ops-secret");
        File.WriteAllText(secretFile, secret + "\n");
        return NotificationHost.StartAsync(_data, (s, _) =>
        {
            s["Notifications:Webhooks:ops:Url"] = _url.ToString();
            s["Notifications:Webhooks:ops:SecretFile"] = secretFile;
        });
    }

    [Fact]
    public async Task Dispatch_SignedPost_VerifiedByTheReceiverOnce()
    {
        await using var cloud = await CloudAsync();
        var message = await cloud.EnqueueAsync(new NotificationRequest(NotificationChannel.Webhook, "ops", "设备告警", "CT-01 球管温度过高", "alarm:1:hook"));
        await cloud.WaitForStatusAsync(message.Id, NotificationStatus.Sent, Timeout);
        var (delivery, refusal, body) = Assert.Single(_received);
        Assert.Null(refusal);
        Assert.Equal(message.Id.ToString(CultureInfo.InvariantCulture), delivery);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("CT-01 球管温度过高", json.RootElement.GetProperty("body").GetString());
        Assert.Equal("alarm:1:hook", json.RootElement.GetProperty("deduplicationKey").GetString());
        Assert.DoesNotContain(cloud.Logs.Lines, l => l.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dispatch_Receiver503Then429ThenOk_RetriedWithTheSameDeliveryId()
    {
        _answers.Enqueue(StatusCodes.Status503ServiceUnavailable);
        _answers.Enqueue(StatusCodes.Status429TooManyRequests);
        await using var cloud = await CloudAsync();
        var message = await cloud.EnqueueAsync(new NotificationRequest(NotificationChannel.Webhook, "ops", "s", "b", "k"));
        var entry = await cloud.WaitForStatusAsync(message.Id, NotificationStatus.Sent, Timeout);
        Assert.Equal([AttemptOutcome.Transient, AttemptOutcome.Transient, AttemptOutcome.Sent], entry.Attempts.Select(a => a.Outcome));
        Assert.Equal(3, _received.Count);
        Assert.All(_received, r => Assert.Equal((message.Id.ToString(CultureInfo.InvariantCulture), (string?)null), (r.Delivery, r.Refusal)));
    }

    [Fact]
    public async Task Dispatch_WrongSecret_ReceiverRefuses401AndItIsNotRetried()
    {
        await using var cloud = await CloudAsync(secret: "not-the-shared-secret");
        var message = await cloud.EnqueueAsync(new NotificationRequest(NotificationChannel.Webhook, "ops", "s", "b", "k"));
        var entry = await cloud.WaitForStatusAsync(message.Id, NotificationStatus.FailedPermanently, Timeout);
        Assert.Contains("HTTP 401", entry.Message.LastError, StringComparison.Ordinal);
        Assert.Equal("the signature does not match", Assert.Single(_received).Refusal);
    }
}
