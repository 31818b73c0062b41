using System.Collections.Concurrent;
using System.Globalization;
using EquipmentIoT.Cloud.Notifications;
using EquipmentIoT.Cloud.Notifications.Outbox;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.IntegrationTests.Notifications;

/// <summary>
/// The cloud's notification layer as the host wires it (AddNotifications, MapNotificationEndpoints, the store
/// initializers) on Kestrel at a free loopback port, with the real clock, the dispatcher running with short retry delays,
/// and every log line kept. Its data directory may outlive it (a restart is a second host on the same directory).
/// </summary>
internal sealed class NotificationHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private NotificationHost(WebApplication app, Uri baseUrl, LogCapture logs)
    {
        _app = app;
        BaseUrl = baseUrl;
        Logs = logs;
    }

    public Uri BaseUrl { get; }

    public LogCapture Logs { get; }

    public INotificationOutbox Outbox => _app.Services.GetRequiredService<INotificationOutbox>();

    public INotificationStore Store => _app.Services.GetRequiredService<INotificationStore>();

    /// <summary>The settings every test starts from: fast polls and retries, delivery reports to this host.</summary>
    public static Dictionary<string, string?> Settings(string dataDirectory, int port) => new()
    {
        ["Cloud:DataDirectory"] = dataDirectory,
        ["Notifications:InstanceName"] = "it",
        ["Notifications:PollInterval"] = "00:00:00.100",
        ["Notifications:RetryInitialDelay"] = "00:00:00.200",
        ["Notifications:RetryMaxDelay"] = "00:00:01",
        ["Notifications:MaxAttempts"] = "1000",
        ["Notifications:SendTimeout"] = "00:00:10",
        ["Notifications:SendingLease"] = "00:01:00",
    };

    public static async Task<NotificationHost> StartAsync(string dataDirectory, Action<Dictionary<string, string?>, Uri> configure)
    {
        var port = FreePort.Next();
        var baseUrl = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var settings = Settings(dataDirectory, port);
        configure(settings, baseUrl);
        var logs = new LogCapture();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls(baseUrl.ToString());
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Information).AddProvider(logs);
        builder.Services.AddRouting();
        builder.Services.AddAuthorization();
        builder.Services.AddNotifications(builder.Configuration);
        var app = builder.Build();
        app.MapNotificationEndpoints();
        await app.Services.InitializeStoresAsync(CancellationToken.None);
        await app.StartAsync();
        return new NotificationHost(app, baseUrl, logs);
    }

    /// <summary>Enqueues and returns the stored message (the request must be accepted).</summary>
    public async Task<NotificationMessage> EnqueueAsync(NotificationRequest request)
    {
        var result = await Outbox.EnqueueAsync(request, CancellationToken.None);
        Assert.True(result.Accepted, result.Error);
        return result.Message!;
    }

    /// <summary>Waits (bounded) until the message reaches <paramref name="status"/>; returns it with its history.</summary>
    public async Task<NotificationEntry> WaitForStatusAsync(long id, NotificationStatus status, TimeSpan timeout)
    {
        NotificationEntry? entry = null;
        await Wait.UntilAsync(async ct => (entry = await Store.GetAsync(id, ct))?.Message.Status == status, timeout,
            $"notification {id} to be {status} (now {entry?.Message.Status}, last error {entry?.Message.LastError})");
        return entry!;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}

/// <summary>Keeps every formatted log line (level, category, message, exception) for assertions about what is logged.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
