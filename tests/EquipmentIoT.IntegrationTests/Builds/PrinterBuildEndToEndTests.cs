using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EquipmentIoT.IntegrationTests.Agent;
using EquipmentIoT.IntegrationTests.CloudProcess;
using EquipmentIoT.IntegrationTests.Equipment;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Builds;

/// <summary>
/// A build from the printer simulator to a sealed record, all real processes: <c>eqiot-sim printer</c> (Modbus TCP,
/// an oxygen excursion scripted mid-build) read by <c>eqiot-agent</c> through the shipped am-printer-pbf profile,
/// published to mosquitto, ingested by <c>eqiot-cloud</c>, which opens the build record from the printer's events,
/// summarises every layer from the stored series and flags the excursion; an operator logs the build, a manager
/// releases it, and the auditor's export verifies.
/// </summary>
public sealed class PrinterBuildEndToEndTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(150);
    private const string Gtin = "09506000134352";

    [Fact]
    public async Task SimulatedBuild_ThroughAgentBrokerAndCloud_EndsInASealedRecordWithTheOxygenExcursionFlagged()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var cloud = await CloudRun.CreateAsync();
        var printerPort = FreePort.Next();
        await using var agent = await AgentRun.CreateAsync("agent-printer",
        [
            new JsonObject
            {
                ["Id"] = "am-01", ["Kind"] = "am-printer", ["Profile"] = "am-printer-pbf",
                ["Modbus"] = new JsonObject { ["Endpoint"] = $"tcp://127.0.0.1:{Text(printerPort)}", ["UnitId"] = 1 },
            },
        ]);
        await cloud.AddAgentAsync(agent.AgentId, agent.PublicKeyFile);
        var config = Path.Combine(cloud.DataDirectory, "builds.json");
        await File.WriteAllTextAsync(config, $$"""
            { "Builds": { "PollInterval": "00:00:00.200", "SettleTime": "00:00:03", "SummaryInterval": "00:00:01", "Gtin": "{{Gtin}}" } }
            """);
        await cloud.StartAsync(broker, configFile: config);
        // Speed 60 and 3-minute layers: with the profile's 1 s polling, about three readings per layer. The printer inerts
        // for ~17 simulated minutes (17 s), then builds 5–10 layers; the excursion (22–27 min) falls inside the build. The
        // simulation clock runs from the simulator's start, so it starts last, just before the agent: on a loaded machine
        // the other processes' start-up once ate the whole inerting phase and the agent first saw the printer after its
        // last layer (a completed build with no layers).
        await using var sim = await EqiotSim.StartAsync(["printer", "--modbus", $"tcp://127.0.0.1:{Text(printerPort)}", "--speed", "60",
            "--layer-time", "3m", "--max-layers", "10", "--seed", "7", "--scenario", "oxygen-excursion@22m+5m"]);
        await agent.StartAsync(broker);

        JsonElement build = default;
        await Wait.UntilAsync(async t =>
        {
            var completed = await cloud.Http.GetJsonAsync("/api/v1/builds?device=am-01&status=completed", t);
            if (completed.GetArrayLength() == 0) return false;
            build = completed[completed.GetArrayLength() - 1];
            // Summarised after the end had settled: every metric batch of the job is in.
            return build.TryGetProperty("summarised", out var s) && s.ValueKind == JsonValueKind.String
                && s.GetDateTimeOffset() >= build.GetProperty("ended").GetDateTimeOffset().AddSeconds(3);
        }, Long, "a completed, settled build record of am-01");
        Assert.Equal(0, await agent.StopAsync());

        var id = build.GetProperty("id").GetInt64();
        var detail = await cloud.Http.GetJsonAsync($"/api/v1/builds/{id}");
        var record = detail.GetProperty("record");
        var layersStarted = record.GetProperty("layersStarted").GetInt32();
        Assert.True(layersStarted is >= 5 and <= 10, $"{layersStarted} layers started; the build as stored: {detail}");
        Assert.Equal(record.GetProperty("layersPlanned").GetInt32(), layersStarted);
        Assert.Equal(24_001, record.GetProperty("jobId").GetInt64());
        Assert.Matches(@"^AM-\d{8}-001$", record.GetProperty("batchNumber").GetString()!);
        var layers = detail.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, layersStarted), layers.Select(l => l.GetProperty("layer").GetInt32()));
        Assert.Equal(layersStarted, record.GetProperty("recoaterPasses").GetInt32());

        JsonElement O2(JsonElement layer) => layer.GetProperty("signals").EnumerateArray().Single(s => s.GetProperty("signal").GetString() == "chamber_o2");
        var withO2 = layers.Where(l => l.GetProperty("signals").EnumerateArray().Any(s => s.GetProperty("signal").GetString() == "chamber_o2")).ToList();
        Assert.True(withO2.Count >= layersStarted - 1, $"only {withO2.Count} of {layersStarted} layers have oxygen readings");
        var flagged = withO2.Where(l => O2(l).GetProperty("outside").GetInt64() > 0).ToList();
        Assert.NotEmpty(flagged);
        Assert.All(flagged, l => Assert.True(O2(l).GetProperty("max").GetDouble() > 1000));
        Assert.False(O2(withO2[0]).GetProperty("outside").GetInt64() > 0, "the first layer is inside the window");
        Assert.Equal(1000, O2(withO2[0]).GetProperty("windowMax").GetDouble());
        Assert.True(record.GetProperty("excursionLayers").GetInt32() >= flagged.Count);
        Assert.Contains(detail.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("detail").GetString()!.StartsWith("O2_HIGH", StringComparison.Ordinal));

        // The operator logs the build (the command line, then the API); the manager releases it; the auditor's export verifies.
        var (operatorClient, operatorTokenFile) = await ClientAsync(cloud, "operator");
        using var operatorHttp = operatorClient;
        using var manager = (await ClientAsync(cloud, "manager")).Client;
        string[] api = ["--api", cloud.Http.BaseAddress!.ToString(), "--token-file", operatorTokenFile];
        var logged = await EqiotCloud.RunAsync(["builds", "entry", "--id", Text((int)id), "--kind", "material", "--field", "material=Ti-6Al-4V ELI",
            "--field", "powder_lot=PL-2026-118", "--field", "reuse_count=2", "--field", "sieve=sieved 63 µm", .. api]);
        Assert.Equal("operator-e2e", JsonDocument.Parse(logged).RootElement.GetProperty("actor").GetString());
        var part = await PostAsync(operatorHttp, $"/api/v1/builds/{id}/parts", new { fields = new Dictionary<string, string>
        {
            ["case_ref"] = "CASE-7Q2K", ["device_name"] = "custom acetabular cup",
        } }, HttpStatusCode.Created);
        await PostAsync(operatorHttp, $"/api/v1/builds/{id}/entries", new { kind = "inspection", fields = new Dictionary<string, string>
        {
            ["test"] = "dimensions", ["result"] = "pass", ["details"] = "oxygen excursion reviewed: layers within spec after CT scan",
        } }, HttpStatusCode.Created);
        await PostAsync(manager, $"/api/v1/builds/{id}/release", new { fields = new Dictionary<string, string> { ["decision"] = "released" } }, HttpStatusCode.OK);

        var byUdi = await cloud.Http.GetJsonAsync("/api/v1/builds/trace?udi=" + Uri.EscapeDataString(part.GetProperty("udi").GetString()!));
        Assert.Equal(id, byUdi.GetProperty("builds")[0].GetProperty("id").GetInt64());
        var export = await cloud.Http.GetJsonAsync($"/api/v1/builds/{id}/export");
        Assert.True(export.GetProperty("verification").GetProperty("ok").GetBoolean());
        Assert.Equal(export.GetProperty("contentHash").GetString(),
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(export.GetProperty("canonical").GetString()!))));
        Assert.NotNull(export.GetProperty("build").GetProperty("record").GetProperty("sealed").GetString());
        Assert.Contains("\"ok\":true", await EqiotCloud.RunAsync(["builds", "verify", .. api]), StringComparison.Ordinal);
        var report = Path.Combine(cloud.DataDirectory, "report.html");
        await EqiotCloud.RunAsync(["builds", "export", "--id", Text((int)id), "--html", "--out", report, .. api]);
        Assert.Contains("PL-2026-118", await File.ReadAllTextAsync(report), StringComparison.Ordinal);
        var byLot = JsonDocument.Parse(await EqiotCloud.RunAsync(["builds", "trace", "--powder-lot", "PL-2026-118", .. api])).RootElement;
        Assert.Equal(id, byLot.GetProperty("builds")[0].GetProperty("id").GetInt64());
    }

    private static async Task<(HttpClient Client, string TokenFile)> ClientAsync(CloudRun cloud, string role)
    {
        var token = (await EqiotCloud.RunAsync("tokens", "add", "--name", $"{role}-e2e", "--role", role, "--data", cloud.DataDirectory)).Trim();
        var file = Path.Combine(cloud.DataDirectory, $"{role}.token");
        await File.WriteAllTextAsync(file, token);
        var client = new HttpClient { BaseAddress = cloud.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (client, file);
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
