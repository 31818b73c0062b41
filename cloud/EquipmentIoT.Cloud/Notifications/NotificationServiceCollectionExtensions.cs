using EquipmentIoT.Cloud.Hosting;
using EquipmentIoT.Cloud.Notifications.Dispatch;
using EquipmentIoT.Cloud.Notifications.Email;
using EquipmentIoT.Cloud.Notifications.Outbox;
using EquipmentIoT.Cloud.Notifications.Sms;
using EquipmentIoT.Cloud.Notifications.Webhooks;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Notifications;

/// <summary>Registers the notification delivery layer in a host.</summary>
public static class NotificationServiceCollectionExtensions
{
    /// <summary>Largest answer body read from Kannel or a webhook.</summary>
    private const int MaxResponseBytes = 16 * 1024;

    /// <summary>
    /// Adds the outbox (<see cref="INotificationOutbox"/> to enqueue, <see cref="INotificationStore"/> to query) on
    /// records.db of <c>Cloud:DataDirectory</c> (migration component "notifications", run by the store initializers),
    /// the three senders, and the dispatcher as a hosted service (unless <c>Notifications:DispatcherEnabled</c> is false).
    /// <see cref="NotificationOptions"/> is bound from "Notifications" and validated at start. Register it after the
    /// store initializer, so that the dispatcher starts on a migrated database.
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<NotificationOptions>, NotificationOptionsRules>();
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.TryAddSingleton(TimeProvider.System);

        var dataDirectory = Path.GetFullPath(configuration[$"{CloudOptions.Section}:{nameof(CloudOptions.DataDirectory)}"] ?? CloudPaths.DefaultDataDirectory);
        var records = SqliteDataFiles.RecordsDatabase(dataDirectory);
        services.AddSingleton(_ => new SqliteNotificationStore(records));
        services.AddSingleton<INotificationStore>(sp => sp.GetRequiredService<SqliteNotificationStore>());
        services.AddSingleton<IStoreInitializer>(sp => sp.GetRequiredService<SqliteNotificationStore>());

        foreach (var name in new[] { KannelSmsSender.HttpClientName, WebhookSender.HttpClientName })
        {
            // No redirects (a redirected POST would lose its body or its signature's meaning); no request logging,
            // because Kannel's URL carries the password.
            services.AddHttpClient(name, client => client.MaxResponseContentBufferSize = MaxResponseBytes)
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
                .RemoveAllLoggers();
        }
        services.AddSingleton<INotificationSender, KannelSmsSender>();
        services.AddSingleton<INotificationSender, SmtpEmailSender>();
        services.AddSingleton<INotificationSender, WebhookSender>();

        services.AddSingleton<NotificationSignal>();
        services.AddSingleton(sp => NotificationRetryPolicy.From(sp.GetRequiredService<IOptions<NotificationOptions>>().Value));
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<INotificationOutbox>(sp => sp.GetRequiredService<NotificationOutbox>());
        services.AddSingleton<NotificationDispatcher>();
        if (configuration.GetValue($"{NotificationOptions.Section}:{nameof(NotificationOptions.DispatcherEnabled)}", true))
            services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
        return services;
    }

    /// <summary>Maps the notifications' HTTP endpoints: Kannel's delivery reports (anonymous, token in the URL).</summary>
    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        DeliveryReportEndpoint.Map(app);
        return app;
    }
}
