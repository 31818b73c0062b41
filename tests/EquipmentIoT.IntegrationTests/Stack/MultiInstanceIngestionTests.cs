using EquipmentIoT.IntegrationTests.Agent;
using EquipmentIoT.IntegrationTests.CloudProcess;
using EquipmentIoT.Protocols.Telemetry.Model;
using EquipmentIoT.Protocols.Telemetry.Topics;
using EquipmentIoT.Testing;
using Npgsql;

namespace EquipmentIoT.IntegrationTests.Stack;

/// <summary>
/// Scale-out as a hospital group runs it: three real <c>eqiot-cloud</c> processes, each on its own data directory (as on
/// three hosts), sharing one MQTT subscription, one PostgreSQL (records) and one InfluxDB (series). Every batch the agent
/// sent is stored exactly once, and killing one instance mid-stream loses and doubles nothing. Mosquitto 2.0 keeps handing a
/// share of the messages to the dead member's persistent session; the survivors see those as gaps and ask the agent to
/// resend, and the rest reaches the store when the instance is back (as a supervised one is); either way each batch is stored once.
/// </summary>
public sealed class MultiInstanceIngestionTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task ThreeInstancesOnPostgresAndInflux_EachBatchStoredOnce_KillingOneLosesNothing()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influx = await InfluxServer.StartAsync();
        await using var postgres = await PostgresServer.StartAsync();
        var series = await influx.CreateDatabaseAsync();
        var records = await postgres.CreateDatabaseAsync();
        var storage = new Dictionary<string, string?>
        {
            ["EQIOT_Storage__Series"] = "influxdb",
            ["EQIOT_Storage__Influx__Url"] = influx.Uri.ToString(),
            ["EQIOT_Storage__Influx__Database"] = series,
            ["EQIOT_Storage__Records"] = "postgres",
            ["EQIOT_Storage__Postgres__ConnectionString"] = postgres.ConnectionString(records),
        };
        await using var first = await CloudRun.CreateAsync(environment: storage, tokenName: "tests-1");
        await using var second = await CloudRun.CreateAsync(environment: storage, tokenName: "tests-2");
        await using var third = await CloudRun.CreateAsync(environment: storage, tokenName: "tests-3");
        await using var agent = await AgentRun.CreateAsync("agent-scale", [AgentRun.SyntheticDevice("mr-scale", metrics: 20, interval: "00:00:00.020")]);
        await first.AddAgentAsync(agent.AgentId, agent.PublicKeyFile);
        await using var verifier = await TelemetryVerifier.StartAsync(broker, agent);
        await first.StartAsync(broker, "1");
        await second.StartAsync(broker, "2");
        await third.StartAsync(broker, "3");
        await agent.StartAsync(broker);

        await Wait.UntilAsync(async t => (await first.Http.IntegrityAsync(agent.AgentId, t)).Stored >= 60, Long, "60 batches stored");
        await second.KillAsync();
        var atKill = verifier.Count(TelemetryStreams.Metrics);
        await Wait.UntilAsync(() => verifier.Count(TelemetryStreams.Metrics) >= atKill + 60, Long, "60 more batches after the kill");
        // The survivors went on storing while the broker parked a share of the messages in the dead member's session.
        await Wait.UntilAsync(async t => (await first.Http.IntegrityAsync(agent.AgentId, t)).Stored > atKill, Long, "the survivors storing batches sent after the kill");
        // A supervisor brings the killed instance back while the agent still streams: what the broker kept for it arrives.
        await second.StartAsync(broker, "2");
        var atRestart = verifier.Count(TelemetryStreams.Metrics);
        await Wait.UntilAsync(() => verifier.Count(TelemetryStreams.Metrics) >= atRestart + 30, Long, "30 more batches after the restart");
        Assert.Equal(0, await agent.StopAsync());

        var sent = verifier.Count(TelemetryStreams.Metrics) + verifier.Count(TelemetryStreams.Events);
        await Wait.UntilAsync(async t => (await first.Http.IntegrityAsync(agent.AgentId, t)) is { Stored: var s, GapsOpen: 0 } && s == sent, Long,
            $"all {sent} batches stored");
        Assert.Equal(0, (await first.Http.IntegrityAsync(agent.AgentId)).Quarantined);
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString(records)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*), count(DISTINCT (stream, seq)) FROM batches WHERE agent = 'agent-scale'", connection);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(sent, reader.GetInt64(0));
            Assert.Equal(sent, reader.GetInt64(1));
        }
        // Every point once in InfluxDB, read through any instance (a batch's points follow its ledger commit by a moment). InfluxDB
        // keeps one value per series and millisecond: two readings of a metric stamped in the same millisecond (a timer catching up
        // on a loaded machine) are one point there.
        var points = verifier.Batches(TelemetryStreams.Metrics).SelectMany(b => b.Batch.Metrics)
            .Select(p => (p.Name, p.Timestamp.ToUnixTimeMilliseconds())).Distinct().Count();
        try
        {
            await Wait.UntilAsync(async t => await third.Http.StoredPointsAsync("mr-scale", t) >= points, Long, $"{points} points in InfluxDB");
        }
        catch (TimeoutException e)
        {
            await using var connection = new NpgsqlConnection(postgres.ConnectionString(records));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM series_pending", connection);
            var pending = await command.ExecuteScalarAsync();
            throw new TimeoutException($"{e.Message}: {await third.Http.StoredPointsAsync("mr-scale")} points stored, {pending} batches series-pending", e);
        }
        Assert.Equal(points, await third.Http.StoredPointsAsync("mr-scale"));
        Assert.Equal(points, await first.Http.StoredPointsAsync("mr-scale"));
    }
}
