using System.Globalization;
using System.Text.Json.Nodes;
using EquipmentIoT.IntegrationTests.Agent;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Model;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Equipment;

/// <summary>
/// The equipment path end to end with real processes: <c>eqiot-sim all</c> (a CT on a pseudo-terminal serial port
/// and over MPPS, an MR helium monitor as a Modbus RTU slave on another pseudo terminal, a metal printer as a Modbus
/// TCP slave) read by <c>eqiot-agent</c>
/// through the shipped profiles, published to mosquitto and verified as the cloud verifies.
/// </summary>
public sealed class EquipmentEndToEndTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Agent_ShippedProfilesOnSimulators_ReadsSerialModbusAndMppsIntoSignedBatches()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var dir = Directory.CreateTempSubdirectory("eqiot-equipment-").FullName;
        var serial = Path.Combine(dir, "ct-01.tty");
        var rs485 = Path.Combine(dir, "mr-01.rs485");
        int printerPort = FreePort.Next(), mppsPort = FreePort.Next();
        await using var sim = await EqiotSim.StartAsync(["all", "--serial", serial,
            "--mr-modbus", $"rtu:{rs485}", "--printer-modbus", $"tcp://127.0.0.1:{Text(printerPort)}",
            "--mpps", $"127.0.0.1:{Text(mppsPort)}", "--speed", "60", "--layer-time", "20s", "--exam-every", "1m", "--seed", "3"]);
        await using var agent = await AgentRun.CreateAsync("agent-equipment",
        [
            new JsonObject
            {
                ["Id"] = "ct-01", ["Kind"] = "ct", ["Profile"] = "ct-serial-mpps",
                ["Serial"] = new JsonObject { ["Port"] = serial, ["BaudRate"] = 9600 },
                ["Mpps"] = new JsonObject { ["CallingAeTitle"] = "CT01" },
            },
            new JsonObject
            {
                ["Id"] = "mr-01", ["Kind"] = "mr", ["Profile"] = "mr-helium-monitor",
                ["Modbus"] = new JsonObject { ["Endpoint"] = $"rtu://{rs485}", ["UnitId"] = 1, ["BaudRate"] = 19200 },
                ["Mpps"] = new JsonObject { ["CallingAeTitle"] = "MR01" },
            },
            new JsonObject
            {
                ["Id"] = "am-01", ["Kind"] = "am-printer", ["Profile"] = "am-printer-pbf",
                ["Modbus"] = new JsonObject { ["Endpoint"] = $"tcp://127.0.0.1:{Text(printerPort)}", ["UnitId"] = 1 },
            },
        ], a => a["Mpps"] = new JsonObject { ["Port"] = mppsPort, ["AeTitle"] = "EQIOT", ["TimeZone"] = "Asia/Shanghai" });
        await using var verifier = await TelemetryVerifier.StartAsync(broker, agent);
        await agent.StartAsync(broker);

        IEnumerable<MetricPoint> Metrics() => verifier.Batches(TelemetryStreams.Metrics).SelectMany(b => b.Batch.Metrics);
        IEnumerable<TelemetryEvent> Events() => verifier.Batches(TelemetryStreams.Events).SelectMany(b => b.Batch.Events);
        bool Has(string device, string metric) => Metrics().Any(m => m.Device == device && m.Name == metric);
        await Wait.UntilAsync(() => Has("ct-01", "tube_heat") && Has("mr-01", "helium_level") && Has("am-01", "chamber_o2"), Long, "readings of all three devices");
        await Wait.UntilAsync(() => Events().Any(e => e.Device == "am-01" && e.Type == EventTypes.BuildLayer), Long, "the printer's first layers");
        await Wait.UntilAsync(() => Events().Any(e => e.Type == EventTypes.ExamCompleted && e.Device == "ct-01"), Long, "a CT exam over MPPS");
        Assert.Equal(0, await agent.StopAsync());

        // Serial: the CT's status lines through the key-value grammar.
        Assert.Contains(Metrics(), m => m.Device == "ct-01" && m.Name == "tube_oil_temperature" && m.Unit == "Cel" && m.Value is > 25 and < 80);
        Assert.Contains(Events(), e => e.Device == "ct-01" && e.Type == EventTypes.State && e.Data["state"].AsString is "warmup" or "ready" or "scanning");
        // Modbus (RTU through our termios port, and TCP): scaled, float32 and little-word-order uint32 registers, enum states.
        Assert.All(Metrics().Where(m => m.Device == "mr-01" && m.Name == "helium_level"), m => Assert.InRange(m.Value, 71.5, 72.0));
        Assert.Contains(Metrics(), m => m.Device == "mr-01" && m.Name == "chiller_water_temperature" && m.Value is > 11 and < 13);
        Assert.Contains(Metrics(), m => m.Device == "mr-01" && m.Name == "compressor_hours" && m.Value is >= 18_250 and < 18_260);
        Assert.Contains(Events(), e => e.Device == "mr-01" && e.Type == EventTypes.State && e.Data["state"].AsString == "running");
        Assert.Contains(Events(), e => e.Device == "am-01" && e.Type == EventTypes.State && e.Data["state"].AsString == "building");
        // MPPS: exams with their procedure, no patient name, identifiers pseudonymised by the agent.
        var exams = Events().Where(e => e.Type is EventTypes.ExamStarted or EventTypes.ExamCompleted).ToList();
        Assert.Contains(exams, e => e.Device == "ct-01" && e.Data.TryGetValue("Modality", out var m) && m.AsString == "CT");
        Assert.All(exams, e =>
        {
            Assert.False(e.Data.ContainsKey("PatientName"));
            Assert.False(e.Data.ContainsKey("PatientBirthDate"));
            if (e.Data.TryGetValue("PatientID", out var id)) Assert.StartsWith("p-", id.AsString, StringComparison.Ordinal);
        });
        Assert.Empty(verifier.Problems);
        Assert.Empty(verifier.ChainProblems(TelemetryStreams.Metrics));
        Assert.Empty(verifier.ChainProblems(TelemetryStreams.Events));
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
