using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EquipmentIoT.IntegrationTests.Agent;
using EquipmentIoT.IntegrationTests.CloudProcess;
using EquipmentIoT.IntegrationTests.Equipment;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Alarms;

/// <summary>
/// The helium-leak scenario end to end, all real processes: <c>eqiot-sim mr</c> (Modbus TCP, helium leaking from the
/// start) read by <c>eqiot-agent</c> through the shipped mr-helium-monitor profile, mosquitto, <c>eqiot-cloud</c> with its
/// shipped rules, and Kannel (bearerbox + smsbox + fakesmsc) as the SMS gateway — which is down when the alarm is raised
/// and started later: the on-call engineer's phone gets exactly one SMS, with the alarm's text, after the gateway returns.
/// </summary>
public sealed class HeliumLeakEndToEndTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(120);
    private const string OnCall = "+8613800138000";

    [Fact]
    public async Task HeliumLeak_ThroughAgentBrokerCloudAndAGatewayOutage_EndsInExactlyOneSmsAndOneRepairWorkOrder()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var kannel = KannelGateway.Create();
        await using var cloud = await CloudRun.CreateAsync();
        var mrPort = FreePort.Next();
        await using var sim = await EqiotSim.StartAsync(["mr", "--modbus", $"tcp://127.0.0.1:{Text(mrPort)}", "--speed", "60", "--seed", "11",
            "--scenario", "helium-leak@0s"]);
        await using var agent = await AgentRun.CreateAsync("agent-mr",
        [
            new JsonObject
            {
                ["Id"] = "mr-01", ["Kind"] = "mr", ["Profile"] = "mr-helium-monitor",
                ["Modbus"] = new JsonObject { ["Endpoint"] = $"tcp://127.0.0.1:{Text(mrPort)}", ["UnitId"] = 1 },
                ["Mpps"] = new JsonObject { ["CallingAeTitle"] = "MR01" },
            },
        ], a => a["Mpps"] = new JsonObject { ["Port"] = FreePort.Next(), ["AeTitle"] = "EQIOT", ["TimeZone"] = "Asia/Shanghai" });
        await cloud.AddAgentAsync(agent.AgentId, agent.PublicKeyFile);
        // The simulator runs at 60x but the agent stamps wall-clock time, so the shipped loss-rate rule's 6-hour window (it
        // needs half of it filled) is shortened to the test's time scale, the way a site overrides a shipped rule by its id.
        var rules = Path.Combine(cloud.DataDirectory, "site-rules.yaml");
        await File.WriteAllTextAsync(rules, """
            rules:
              - id: mr.helium.loss-rate
                description: Helium level falling faster than 0.5 %/day
                scope: { class: mr }
                severity: major
                rate: { metric: helium_level, falling: 0.5, clear: 0.3, per: 1d, window: 1m, minSamples: 20 }
            """);
        var config = Path.Combine(cloud.DataDirectory, "alarms.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Rules = new { TickInterval = "00:00:01", Files = new[] { rules } },
            Maintenance = new { RepairRules = new[] { "mr.helium.loss-rate" } },
            Notifications = new
            {
                PollInterval = "00:00:00.200", RetryInitialDelay = "00:00:00.500", RetryMaxDelay = "00:00:01", MaxAttempts = 1000,
                Sms = new { SendSmsUrl = kannel.SendSmsUrl.ToString(), UserName = KannelGateway.UserName, kannel.PasswordFile },
            },
            AlarmNotifications = new
            {
                Contacts = new[] { new { Name = "Wang (on call)", Role = "engineer", Sites = new[] { "sh" }, Phone = OnCall } },
                Routes = new[] { new { Name = "mr-on-call", DeviceClasses = new[] { "mr" }, MinSeverity = "Major", Roles = new[] { "engineer" } } },
            },
        }));
        await cloud.StartAsync(broker, configFile: config);
        // The asset record says what the device is (its class picks the MR rules) and where (its site picks the on-call engineer).
        await PutAsync(cloud, "/api/v1/sites/sh", new { name = "Shanghai", timeZone = "Asia/Shanghai" });
        await PutAsync(cloud, "/api/v1/devices/mr-01/asset", new { deviceClass = "mr", site = "sh", manufacturer = "Simulated", model = "1.5T" });
        await agent.StartAsync(broker);

        // The gateway is down: the alarm is raised, its SMS waits in the outbox and is retried.
        JsonElement alarm = default;
        await Wait.UntilAsync(async t =>
        {
            var open = await cloud.Http.GetJsonAsync("/api/v1/alarms?device=mr-01", t);
            alarm = open.EnumerateArray().FirstOrDefault(a => a.GetProperty("ruleId").GetString() == "mr.helium.loss-rate");
            return alarm.ValueKind == JsonValueKind.Object;
        }, Long, "the helium loss-rate alarm of mr-01");
        await Wait.UntilAsync(async t => (await SmsAsync(cloud, t)).Any(m => m.GetProperty("attempts").GetArrayLength() >= 2), Long,
            "the SMS to be tried against the gateway that is down");
        Assert.Empty(kannel.Messages);

        await kannel.StartAsync();
        var delivered = await kannel.WaitForMessagesAsync(1, Long);
        Assert.Equal(OnCall.TrimStart('+'), delivered[0].Receiver.TrimStart('+'));
        Assert.Contains("【设备告警·重要】mr-01", delivered[0].Text, StringComparison.Ordinal);
        Assert.Contains("Helium level falling faster than 0.5 %/day", delivered[0].Text, StringComparison.Ordinal);

        // Once: the leak goes on for ten more batches through the rules, and the dispatcher keeps polling; nothing else reaches the phone.
        var stored = (await cloud.Http.IntegrityAsync(agent.AgentId)).Stored;
        await Wait.UntilAsync(async t => (await cloud.Http.IntegrityAsync(agent.AgentId, t)).Stored >= stored + 10, Long, "ten more batches stored");
        await Wait.UntilAsync(async t => (await SmsAsync(cloud, t)).All(m => m.GetProperty("message").GetProperty("status").GetString() is "sent" or "delivered"),
            Long, "the outbox to settle");
        var alarms = await cloud.Http.GetJsonAsync("/api/v1/alarms?device=mr-01&open=all");
        Assert.Single(alarms.EnumerateArray(), a => a.GetProperty("severity").GetString() is "critical" or "major");
        Assert.Single(await SmsAsync(cloud, CancellationToken.None));
        Assert.Single(kannel.Messages);
        // And one repair work order, linked to the alarm.
        var orders = await cloud.Http.GetJsonAsync("/api/v1/maintenance/work-orders?device=mr-01");
        var order = Assert.Single(orders.EnumerateArray()).GetProperty("workOrder");
        Assert.Equal("repair", order.GetProperty("kind").GetString());
        Assert.Equal(alarm.GetProperty("id").GetInt64(), order.GetProperty("alarmId").GetInt64());

        // The engineer acknowledges from the command line (through the API, with their own token) and takes the work order.
        var token = (await EqiotCloud.RunAsync("tokens", "add", "--name", "wang", "--role", "engineer", "--data", cloud.DataDirectory)).Trim();
        var tokenFile = Path.Combine(cloud.DataDirectory, "wang.token");
        await File.WriteAllTextAsync(tokenFile, token);
        string[] api = ["--api", cloud.Http.BaseAddress!.ToString(), "--token-file", tokenFile];
        var id = alarm.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        var acknowledged = JsonDocument.Parse(await EqiotCloud.RunAsync(["alarms", "ack", "--id", id, "--comment", "checking the cold head", .. api])).RootElement;
        Assert.Equal("acknowledged", acknowledged.GetProperty("alarm").GetProperty("state").GetString());
        Assert.Equal("wang", acknowledged.GetProperty("alarm").GetProperty("acknowledgedBy").GetString());
        var orderId = order.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        var assigned = JsonDocument.Parse(await EqiotCloud.RunAsync(["work-orders", "assign", "--id", orderId, "--to", "wang", .. api])).RootElement;
        Assert.Equal("assigned", assigned.GetProperty("workOrder").GetProperty("state").GetString());
        Assert.Equal(0, await agent.StopAsync());
    }

    private static async Task<List<JsonElement>> SmsAsync(CloudRun cloud, CancellationToken cancellationToken) =>
        [.. (await cloud.Http.GetJsonAsync("/api/v1/notifications?channel=sms", cancellationToken)).EnumerateArray()];

    private static async Task PutAsync(CloudRun cloud, string path, object body)
    {
        using var response = await cloud.Http.PutAsJsonAsync(new Uri(path, UriKind.Relative), body);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
