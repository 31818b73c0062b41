using EquipmentIoT.Cloud.Builds;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using EquipmentIoT.Cloud.Tests.Api;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Builds;

/// <summary>
/// The API with build records on real SQLite stores, and one printer job of "am-01" ingested as an agent sends it:
/// preparing at T0, building from T0+60 s with layers 1–5 one minute apart, finished at T0+360 s; chamber O2 every
/// 10 s at 350 ppm except 1500 ppm during layer 3 (an excursion); job 24001 of 5 layers. The recorder runs by hand.
/// </summary>
internal sealed class PrintedBuild : IAsyncDisposable
{
    public static readonly Instant T0 = TestAgent.T0;
    public const string Gtin = "09506000134352";

    private readonly TestAgent _agent = new("agent-am");

    private PrintedBuild(ApiHost host) => Host = host;

    public ApiHost Host { get; }

    public BuildRecorder Recorder => Host.Get<BuildRecorder>();

    public IBuildStore Store => Host.Get<IBuildStore>();

    public string RecordsPath { get; private set; } = "";

    public static async Task<PrintedBuild> StartAsync()
    {
        string dir = "";
        var host = await ApiHost.StartAsync((services, d) =>
        {
            dir = d;
            services.AddSqliteTelemetryStores(d);
            // The recorder runs by hand in these tests: no background passes racing them.
            services.AddBuilds(d, runRecorder: false);
            services.Configure<BuildOptions>(o => o.Gtin = Gtin);
        }, T0);
        var build = new PrintedBuild(host) { RecordsPath = Path.Combine(dir, SqliteRecordStores.RecordsFileName) };
        await build.IngestJobAsync();
        return build;
    }

    public async Task<BuildRecord> RecordAsync()
    {
        Host.Clock.Reset(T0 + Duration.FromMinutes(10));
        await Recorder.RunOnceAsync(CancellationToken.None);
        return Assert.Single(await Store.ListAsync(new BuildQuery(), CancellationToken.None));
    }

    private async Task IngestJobAsync()
    {
        var ledger = Host.Get<ITelemetryLedger>();
        var series = Host.Get<ISeriesStore>();
        var ct = CancellationToken.None;
        var points = new List<MetricPoint>();
        for (var s = 0; s <= 370; s += 10)
        {
            var at = T0 + Duration.FromSeconds(s);
            var o2 = s is >= 180 and < 240 ? 1500 : 350;
            points.Add(new MetricPoint("am-01", "chamber_o2", "ppm", at, o2));
            points.Add(new MetricPoint("am-01", "build_plate_temperature", "Cel", at, 200));
            points.Add(new MetricPoint("am-01", "job_id", null, at, 24_001));
            points.Add(new MetricPoint("am-01", "layers_planned", null, at, 5));
        }

        var metrics = _agent.Metrics(1, [.. points]);
        var stored = await ledger.IngestAsync([metrics], ct);
        await series.WriteAsync([new SeriesBatch(stored[0].BatchId!.Value, _agent.Id, metrics.Batch.Metrics)], ct);

        TelemetryEvent E(string type, int seconds, params (string, EventValue)[] data) =>
            new("am-01", type, T0 + Duration.FromSeconds(seconds), data.ToDictionary(d => d.Item1, d => d.Item2));
        var events = new List<TelemetryEvent> { E(EventTypes.State, 0, ("machine", "printer"), ("state", "preparing")) };
        events.Add(E(EventTypes.State, 60, ("machine", "printer"), ("state", "building"), ("previous", "preparing")));
        for (var layer = 1; layer <= 5; layer++)
        {
            events.Add(E(EventTypes.BuildLayer, layer * 60, ("counter", "layer_current"), ("count", layer)));
            events.Add(E("x-eqiot.recoater", layer * 60, ("counter", "recoater_passes"), ("count", layer)));
        }

        events.Add(E(EventTypes.Fault, 190, ("code", "O2_HIGH"), ("active", true), ("text", "chamber oxygen above 1000 ppm"), ("severity", "critical")));
        events.Add(E(EventTypes.Fault, 240, ("code", "O2_HIGH"), ("active", false), ("text", "chamber oxygen above 1000 ppm"), ("severity", "critical")));
        events.Add(E(EventTypes.State, 360, ("machine", "printer"), ("state", "finished"), ("previous", "building")));
        await ledger.IngestAsync([_agent.Events(1, [.. events])], ct);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        _agent.Dispose();
    }
}
