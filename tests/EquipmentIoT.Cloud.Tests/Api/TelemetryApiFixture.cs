using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using EquipmentIoT.Cloud.Tests.Storage;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Api;

/// <summary>
/// The API on the real SQLite ledger and series store, with data written through them as ingestion writes it:
/// three metrics batches of agent "agent-api" (mr-01 helium_level, six points from T0 one second apart, 70 to 72.5),
/// one events batch (scanning at T0, an exam from T0+10 min to T0+40 min, idle at T0+2 h), one quarantined message;
/// mr-01 is an MR at site "sh" (Asia/Shanghai). The clock stands a week after T0.
/// </summary>
public sealed class TelemetryApiFixture : IAsyncLifetime, IDisposable
{
    public static readonly Instant T0 = TestAgent.T0;
    public static readonly byte[] QuarantinedPayload = "not.a.jws"u8.ToArray();

    private readonly TestAgent _agent = new("agent-api");

    public ApiHost Host { get; private set; } = null!;

    public string Kid => _agent.Kid;

    public async Task InitializeAsync()
    {
        Host = await ApiHost.StartAsync((services, dir) => services.AddSqliteTelemetryStores(dir), T0 + Duration.FromDays(7));
        var ledger = Host.Get<ITelemetryLedger>();
        var series = Host.Get<ISeriesStore>();
        var registry = Host.Get<IRegistryStore>();
        var ct = CancellationToken.None;

        var metrics = _agent.MetricsChain(3);
        var outcomes = await ledger.IngestAsync(metrics, ct);
        Assert.All(outcomes, o => Assert.Equal(IngestDisposition.Stored, o.Disposition));
        await series.WriteAsync([.. outcomes.Select((o, i) => new SeriesBatch(o.BatchId!.Value, _agent.Id, metrics[i].Batch.Metrics))], ct);
        await ledger.MarkSeriesWrittenAsync([.. outcomes.Select(o => o.BatchId!.Value)], ct);

        static TelemetryEvent Event(string type, Instant at, string key, string value) =>
            new("mr-01", type, at, new Dictionary<string, EventValue> { [key] = value });
        var events = await ledger.IngestAsync([_agent.Events(1,
            Event(EventTypes.State, T0, "state", "scanning"),
            Event(EventTypes.ExamStarted, T0 + Duration.FromMinutes(10), "StudyInstanceUID", "2.25.7"),
            Event(EventTypes.ExamCompleted, T0 + Duration.FromMinutes(40), "StudyInstanceUID", "2.25.7"),
            Event(EventTypes.State, T0 + Duration.FromHours(2), "state", "idle"))], ct);
        Assert.Equal(IngestDisposition.Stored, events[0].Disposition);

        await ledger.QuarantineAsync(new QuarantineEntry(_agent.Id, _agent.Kid, "metrics", 9, QuarantineReason.BadSignature,
            "the signature does not verify", T0, QuarantinedPayload), ct);

        await registry.SaveSiteAsync(new SiteRecord("sh", "Shanghai", "Asia/Shanghai"), ct);
        await registry.SaveAssetAsync("mr-01", new AssetRecord(DeviceClass: "MR", Manufacturer: "Acme", Site: "sh"), ct);
        await registry.TouchAsync(_agent.Id, ["mr-01"], T0 + Duration.FromSeconds(3), ct);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    public void Dispose() => _agent.Dispose();
}
