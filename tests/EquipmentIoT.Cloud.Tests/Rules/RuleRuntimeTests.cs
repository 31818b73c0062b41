using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using EquipmentIoT.Cloud.Tests.Alarms;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;
using static EquipmentIoT.Cloud.Tests.Rules.RuleTestData;

namespace EquipmentIoT.Cloud.Tests.Rules;

/// <summary>The shipped rules in the service's runtime over temp SQLite stores: batches in, alarms out, across a restart.</summary>
public sealed class RuleRuntimeTests : IAsyncLifetime
{
    private readonly AlarmStoreDirectory _dir = new();
    private readonly FakeClock _clock = new(T0);
    private SqliteRegistryStore _registry = null!;
    private long _seq;

    public async Task InitializeAsync()
    {
        await _dir.InitializeAsync();
        _registry = new SqliteRegistryStore(_dir.Database);
        await _registry.InitializeAsync(CancellationToken.None);
        await _registry.SaveSiteAsync(new SiteRecord("site-a", "Site A", "Europe/Berlin"), CancellationToken.None);
        await _registry.SaveAssetAsync("mr-01", new AssetRecord(DeviceClass: "mr", Site: "site-a"), CancellationToken.None);
    }

    public Task DisposeAsync() => _dir.DisposeAsync();

    private (RuleRuntime Runtime, AlarmManager Alarms) Start()
    {
        var alarms = new AlarmManager(_dir.Alarms, AlarmPolicy.Default, [], NullLogger<AlarmManager>.Instance);
        var runtime = new RuleRuntime(_dir.Rules, alarms, _registry, _clock, Options.Create(new RulesOptions()),
            new ConfigurationBuilder().Build(), NullLogger<RuleRuntime>.Instance);
        return (runtime, alarms);
    }

    /// <summary>Chiller water readings, one every 30 s from <paramref name="from"/>.</summary>
    private TelemetryBatch Chiller(Instant from, params double[] values) => new("agent-1", "metrics", ++_seq, null, from, [
        .. values.Select((v, i) => new MetricPoint("mr-01", "chiller_water_temperature", "Cel", from + Duration.FromSeconds(30 * i), v))], []);

    [Fact]
    public async Task ObserveAsync_PendingRaiseAcrossARestart_RaisesWhenTheDelayIsOver()
    {
        var (first, firstAlarms) = Start();
        using (first)
        using (firstAlarms)
        {
            // Too warm for 90 s: the rule's 2 min raise delay is still running when the service stops.
            await first.ObserveAsync(Chiller(T0, 27, 27, 27, 27), CancellationToken.None);
            Assert.Empty(await firstAlarms.OpenAlarmsAsync(CancellationToken.None));
            await first.SaveSnapshotAsync(CancellationToken.None);
        }

        var (second, alarms) = Start();
        using (second)
        using (alarms)
        {
            await second.ObserveAsync(Chiller(T0 + Duration.FromMinutes(2), 27), CancellationToken.None);
            var alarm = Assert.Single(await alarms.OpenAlarmsAsync(CancellationToken.None));
            Assert.Equal(("mr.chiller.water-temperature", "mr-01", "site-a", "mr", T0 + Duration.FromMinutes(2)),
                (alarm.RuleId, alarm.Device, alarm.Site, alarm.DeviceClass, alarm.RaisedAt));
        }
    }

    [Fact]
    public async Task ObserveAsync_AlarmSavedAfterTheLastSnapshot_IsStillResolvedWhenTheConditionClears()
    {
        var (first, firstAlarms) = Start();
        using (first)
        using (firstAlarms)
        {
            await first.SaveSnapshotAsync(CancellationToken.None);
            await first.ObserveAsync(Chiller(T0, 27, 27, 27, 27, 27), CancellationToken.None);
            Assert.Single(await firstAlarms.OpenAlarmsAsync(CancellationToken.None));
            // No snapshot after the alarm: a crash.
        }

        var (second, alarms) = Start();
        using (second)
        using (alarms)
        {
            await second.ObserveAsync(Chiller(T0 + Duration.FromMinutes(3), [.. Enumerable.Repeat(20.0, 12)]), CancellationToken.None);
            Assert.Empty(await alarms.OpenAlarmsAsync(CancellationToken.None));
            var closed = Assert.Single(await _dir.Alarms.ListAsync(new AlarmQuery(Open: false), CancellationToken.None));
            Assert.Equal(AlarmState.ResolvedUnacknowledged, closed.State);
        }
    }

    [Fact]
    public async Task TickAsync_DeviceGoesSilent_RaisesTheShippedSilenceRule()
    {
        var (runtime, alarms) = Start();
        using (runtime)
        using (alarms)
        {
            await runtime.ObserveAsync(Chiller(T0, 18), CancellationToken.None);
            _clock.AdvanceMinutes(16);
            await runtime.TickAsync(CancellationToken.None);
            var open = await alarms.OpenAlarmsAsync(CancellationToken.None);
            Assert.Contains(open, a => a.RuleId == "device.silent" && a.Device == "mr-01");
        }
    }
}
