using System.Collections.Concurrent;
using EquipmentIoT.Cloud.Scheduling;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;
using Quartz;

namespace EquipmentIoT.Cloud.Tests.Scheduling;

/// <summary>A generic host with AddScheduling on a data directory (what the cloud registers), for restart and leadership tests.</summary>
internal sealed class SchedulerTestHost : IAsyncDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private SchedulerTestHost(IHost host) => Host = host;

    public IHost Host { get; }

    public SchedulerLeadership Leadership => Host.Services.GetRequiredService<SchedulerLeadership>();

    /// <summary>Builds and starts a host; <paramref name="configure"/> adds more services (jobs, options).</summary>
    public static async Task<SchedulerTestHost> StartAsync(string dataDirectory, FakeClock clock, Action<IServiceCollection>? configure = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = "Testing",
            DisableDefaults = true,
        });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Scheduling:LeaderPollInterval"] = "00:00:00.100" });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<IClock>(clock);
        builder.Services.AddScheduling(dataDirectory);
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new SchedulerTestHost(host);
    }

    /// <summary>The default scheduler (standby until this instance leads).</summary>
    public Task<IScheduler> SchedulerAsync() => Host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler().AsTask();

    /// <summary>Waits (bounded) until this instance leads and its scheduler runs.</summary>
    public async Task LeadingAsync()
    {
        var scheduler = await SchedulerAsync();
        await Wait.UntilAsync(() => Leadership.IsLeader && scheduler.Status == SchedulerStatus.Running, Bound, "this instance to lead");
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}

/// <summary>What the probe job saw each time it ran: its trigger and the injected clock's instant.</summary>
internal sealed class ProbeLog
{
    public ConcurrentQueue<(TriggerKey Trigger, Instant At)> Runs { get; } = new();
}

/// <summary>A job that records its firing, with its dependencies from the container as every job of ours has them.</summary>
internal sealed class ProbeJob(IClock clock, ProbeLog log) : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        log.Runs.Enqueue((context.Trigger.Key, clock.GetCurrentInstant()));
        return ValueTask.CompletedTask;
    }
}
