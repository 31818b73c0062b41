using System.Globalization;
using System.Runtime.Versioning;
using EquipmentIoT.Cloud.Hosting;
using EquipmentIoT.Cloud.Ingestion;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EquipmentIoT.Bench.CloudIngest;

/// <summary>
/// The whole cloud (stores, ingestion, API) built by <see cref="CloudHost.Build"/> as <c>eqiot cloud run</c>
/// builds it, on a data directory and a broker, in this process; started and returned once ingestion has
/// subscribed. Logs warnings and errors only (on stderr).
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class InProcessCloud : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly WebApplication _app;

    private InProcessCloud(WebApplication app) => _app = app;

    public IngestionMetrics Metrics => _app.Services.GetRequiredService<IngestionMetrics>();

    public ITelemetryLedger Ledger => _app.Services.GetRequiredService<ITelemetryLedger>();

    public ISeriesStore Series => _app.Services.GetRequiredService<ISeriesStore>();

    public static async Task<InProcessCloud> StartAsync(string dataDirectory, MosquittoBroker broker, int groupCommitSize, int pendingAcknowledgements,
        CancellationToken cancellationToken)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Cloud:DataDirectory"] = dataDirectory,
            ["Ingestion:Broker"] = $"mqtt://{broker.Host}:{Text(broker.Port)}",
            ["Ingestion:GroupCommitSize"] = Text(groupCommitSize),
            ["Ingestion:MaxPendingAcknowledgements"] = Text(pendingAcknowledgements),
            ["Urls"] = $"http://127.0.0.1:{Text(FreePort.Next())}",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var app = CloudHost.Build(null, overrides);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            await app.Services.GetRequiredService<IngestionService>().Subscribed.WaitAsync(StartTimeout, cancellationToken).ConfigureAwait(false);
            return new InProcessCloud(app);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(StartTimeout);
        await _app.StopAsync(stop.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
