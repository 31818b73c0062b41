using System.Net;
using EquipmentIoT.Cloud.Notifications;
using EquipmentIoT.Cloud.Notifications.Dispatch;
using EquipmentIoT.Cloud.Notifications.Outbox;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;

namespace EquipmentIoT.Cloud.Tests.Notifications;

/// <summary>A temp records.db with the notification store migrated, a fake clock, and builders for requests and dispatchers.</summary>
public sealed class NotificationTestKit : IAsyncLifetime
{
    public static readonly Instant T0 = Instant.FromUtc(2026, 11, 23, 2, 0);

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("eqiot-notify-").FullName;

    public FakeClock Clock { get; } = new(T0);

    public SqliteDatabase Database => SqliteDataFiles.RecordsDatabase(Directory);

    public SqliteNotificationStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Store = new SqliteNotificationStore(Database);
        await Store.InitializeAsync(CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }

    public static NotificationRequest Sms(string key, string body = "CT-01 球管温度过高", Instant? notBefore = null) =>
        new(NotificationChannel.Sms, "+8613812345678", "告警", body, key, notBefore);

    public static NotificationRequest Email(string key) => new(NotificationChannel.Email, "zhang.wei@hospital.example", "设备告警", "CT-01 球管温度过高", key);

    public async Task<NotificationMessage> EnqueueAsync(NotificationRequest request) =>
        (await Store.EnqueueAsync(request, Clock.GetCurrentInstant(), CancellationToken.None)).Message;

    public async Task<NotificationEntry> GetAsync(long id) => (await Store.GetAsync(id, CancellationToken.None))!;

    public static NotificationOptions Options(string instance = "a") => new()
    {
        InstanceName = instance,
        RetryInitialDelay = TimeSpan.FromSeconds(10),
        RetryMaxDelay = TimeSpan.FromMinutes(10),
        MaxAttempts = 4,
        SendTimeout = TimeSpan.FromSeconds(30),
        SendingLease = TimeSpan.FromMinutes(5),
    };

    public NotificationDispatcher Dispatcher(INotificationSender sender, NotificationOptions? options = null, int seed = 42)
    {
        var o = options ?? Options();
        return new NotificationDispatcher(Store, [sender], NotificationRetryPolicy.From(o, new Random(seed)), Microsoft.Extensions.Options.Options.Create(o),
            Clock, TimeProvider.System, new NotificationSignal(), NullLogger<NotificationDispatcher>.Instance);
    }
}

/// <summary>Tests on one <see cref="NotificationTestKit"/> each (a fresh records.db per test).</summary>
public abstract class NotificationKitTest : IAsyncLifetime
{
    protected NotificationTestKit Kit { get; } = new();

    public Task InitializeAsync() => Kit.InitializeAsync();

    public Task DisposeAsync() => Kit.DisposeAsync();
}

/// <summary>A channel that answers from a script (the last answer repeats) and counts what it was given.</summary>
public sealed class ScriptedSender(NotificationChannel channel, params SendResult[] answers) : INotificationSender
{
    private readonly List<ClaimedNotification> _sent = [];
    private readonly Lock _gate = new();

    public NotificationChannel Channel => channel;

    public bool IsConfigured => true;

    /// <summary>Runs during a send, before the answer (to race a delivery report or a second dispatcher).</summary>
    public Func<ClaimedNotification, Task>? During { get; set; }

    public IReadOnlyList<ClaimedNotification> Sent
    {
        get
        {
            lock (_gate) return [.. _sent];
        }
    }

    public async Task<SendResult> SendAsync(ClaimedNotification claim, CancellationToken cancellationToken)
    {
        int n;
        lock (_gate)
        {
            _sent.Add(claim);
            n = _sent.Count;
        }
        if (During is { } during) await during(claim);
        return answers[Math.Min(n, answers.Length) - 1];
    }
}

/// <summary>An HTTP handler that answers every request with one status and text, and keeps the requests.</summary>
public sealed class StubHttpHandler(HttpStatusCode status, string text = "") : HttpMessageHandler
{
    public List<HttpRequestMessage> Requests { get; } = [];

    public List<byte[]> Bodies { get; } = [];

    public Exception? Throw { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        Bodies.Add(request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken));
        if (Throw is { } e) throw e;
        return new HttpResponseMessage(status) { Content = new StringContent(text) };
    }
}

/// <summary>An IHttpClientFactory over one handler.</summary>
public sealed class StubHttpClientFactory(HttpMessageHandler handler) : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
}

internal static class OptionsOf
{
    public static IOptions<NotificationOptions> Wrap(NotificationOptions options) => Microsoft.Extensions.Options.Options.Create(options);
}
