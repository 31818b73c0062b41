using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EquipmentIoT.Cloud.Builds;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Tests.Api;
using Microsoft.Data.Sqlite;

namespace EquipmentIoT.Cloud.Tests.Builds;

public sealed class BuildRecordsApiTests
{
    private static readonly Dictionary<string, string> Release = new() { ["decision"] = "released", ["reason"] = "all inspections passed" };

    [Fact]
    public async Task Recorder_PrinterJob_CompleteRecordWithPerLayerSummariesAndOxygenExcursionFlagged()
    {
        await using var build = await PrintedBuild.StartAsync();

        var record = await build.RecordAsync();

        Assert.Matches("^AM-20261122-001$", record.BatchNumber);
        Assert.Equal((BuildStatus.Completed, 24_001L, 5, 5), (record.Status, record.JobId, record.LayersPlanned, record.LayersStarted));
        Assert.Equal((5, 1, 1), (record.RecoaterPasses, record.Faults, record.ExcursionLayers));
        var detail = (await build.Store.GetAsync(record.Id, CancellationToken.None))!;
        Assert.Equal([1, 2, 3, 4, 5], detail.Layers.Select(l => l.Layer));
        var o2 = detail.Layers.ToDictionary(l => l.Layer, l => l.Signals.Single(s => s.Signal == "chamber_o2"));
        Assert.Equal((6L, 350.0, 350.0), (o2[1].Count, o2[1].Min, o2[1].Max));
        Assert.True(o2[3].IsExcursion);
        Assert.Equal((1500.0, 1000.0), (o2[3].Max, o2[3].WindowMax!.Value));
        Assert.Equal(6, o2[3].Outside);
        Assert.All(new[] { 1, 2, 4, 5 }, l => Assert.False(o2[l].IsExcursion));
        Assert.Equal("ppm", o2[1].Unit);
        Assert.Equal(detail.Layers[1].Started, detail.Layers[0].Ended);
        Assert.Equal(record.Ended, detail.Layers[^1].Ended);
        Assert.Contains(detail.Timeline, t => t.Kind == "fault" && t.Detail.Contains("O2_HIGH", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Recorder_RunTwiceAndAgainAfterRestartOfTheCursor_AppliesEachEventOnce()
    {
        await using var build = await PrintedBuild.StartAsync();
        var first = await build.RecordAsync();

        await build.Recorder.RunOnceAsync(CancellationToken.None);

        var again = Assert.Single(await build.Store.ListAsync(new BuildQuery(), CancellationToken.None));
        Assert.Equal((first.LayersStarted, first.RecoaterPasses, first.Faults), (again.LayersStarted, again.RecoaterPasses, again.Faults));
    }

    [Fact]
    public async Task Entries_OperatorLogsBuild_SignedByTokenAndHashChained()
    {
        await using var build = await PrintedBuild.StartAsync();
        var id = (await build.RecordAsync()).Id;
        using var operatorClient = build.Host.Client(Role.Operator);

        var first = await operatorClient.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{id}/entries", Entry("order",
            ("order_ref", "SO-1188"), ("case_ref", "CASE-7Q2K"), ("device_name", "髋臼杯")), HttpStatusCode.Created);
        var second = await operatorClient.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{id}/entries", Entry("material",
            ("material", "Ti-6Al-4V ELI"), ("powder_lot", "PL-2026-118"), ("reuse_count", "3"), ("sieve", "sieved 63 µm")), HttpStatusCode.Created);

        Assert.Equal("operator-token", first.GetProperty("actor").GetString());
        Assert.Equal("operator", first.GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("previousHash").ValueKind);
        Assert.Equal(first.GetProperty("hash").GetString(), second.GetProperty("previousHash").GetString());
        using var auditor = build.Host.Client(Role.Auditor);
        await auditor.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{id}/entries", Entry("note", ("text", "x")), HttpStatusCode.Forbidden);
        var bad = await operatorClient.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{id}/entries", Entry("inspection", ("test", "fit")),
            HttpStatusCode.BadRequest);
        Assert.Contains("needs 'result'", bad.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_ByManager_SealsAndForbidsEditsButTakesCorrectionsIntoTheLedger()
    {
        await using var build = await PrintedBuild.StartAsync();
        var id = (await build.RecordAsync()).Id;
        using var operatorClient = build.Host.Client(Role.Operator);
        using var manager = build.Host.Client(Role.Manager);
        var inspection = await operatorClient.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{id}/entries", Entry("inspection",
            ("test", "dimensions"), ("result", "pass")), HttpStatusCode.Created);

        await operatorClient.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{id}/release", new { fields = Release }, HttpStatusCode.Forbidden);
        var released = await manager.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{id}/release", new { fields = Release });

        var seal = released.GetProperty("seal");
        Assert.Equal((1, "seal"), (seal.GetProperty("seq").GetInt32(), seal.GetProperty("kind").GetString()));
        await manager.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{id}/release", new { fields = Release }, HttpStatusCode.Conflict);
        var refused = await operatorClient.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{id}/entries", Entry("note", ("text", "late")), HttpStatusCode.Conflict);
        Assert.Contains("sealed", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await operatorClient.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{id}/parts", new { fields = Part("CASE-1") }, HttpStatusCode.Conflict);
        var correction = await operatorClient.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{id}/entries", new
        {
            kind = "inspection",
            fields = new Dictionary<string, string> { ["test"] = "dimensions", ["result"] = "pass", ["details"] = "CMM report 4471 attached" },
            corrects = inspection.GetProperty("id").GetInt64(),
        }, HttpStatusCode.Created);

        var ledger = await manager.GetJsonAsync("/api/v1/builds/ledger");
        Assert.Equal(2, ledger.GetArrayLength());
        Assert.Equal("correction", ledger[1].GetProperty("kind").GetString());
        Assert.Equal(correction.GetProperty("hash").GetString(), ledger[1].GetProperty("contentHash").GetString());
        Assert.Equal(ledger[0].GetProperty("hash").GetString(), ledger[1].GetProperty("previousHash").GetString());
        var verify = await build.Host.Client(Role.Auditor).GetJsonAsync("/api/v1/builds/verify");
        Assert.True(verify.GetProperty("ok").GetBoolean());
        Assert.Equal(2, verify.GetProperty("links").GetInt32());
        // The database refuses edits of a sealed record by itself, too.
        await using var db = Open(build.RecordsPath);
        var ex = await Assert.ThrowsAsync<SqliteException>(() => Exec(db, "UPDATE build_signals SET max = 1 WHERE build_id = " + id));
        Assert.Contains("sealed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_WithFailedInspectionOrBeforeTheJobEnds_Refused()
    {
        await using var build = await PrintedBuild.StartAsync();
        var id = (await build.RecordAsync()).Id;
        using var manager = build.Host.Client(Role.Manager);
        await manager.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{id}/entries", Entry("inspection", ("test", "fit"), ("result", "fail")), HttpStatusCode.Created);

        var refused = await manager.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{id}/release", new { fields = Release }, HttpStatusCode.Conflict);
        Assert.Contains("failed", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var rejected = await manager.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{id}/release",
            new { fields = new Dictionary<string, string> { ["decision"] = "rejected", ["reason"] = "fit test failed" } });
        Assert.Equal("seal", rejected.GetProperty("seal").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Verify_RowEditedBehindTheSystemsBack_ReportsTheFirstBrokenLink()
    {
        await using var build = await PrintedBuild.StartAsync();
        var id = (await build.RecordAsync()).Id;
        using var manager = build.Host.Client(Role.Manager);
        await manager.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{id}/release", new { fields = Release });
        using var auditor = build.Host.Client(Role.Auditor);
        Assert.True((await auditor.GetJsonAsync("/api/v1/builds/verify")).GetProperty("ok").GetBoolean());

        // Someone with the database file hides the oxygen excursion: drops the guard and edits layer 3's summary.
        await using (var db = Open(build.RecordsPath))
        {
            await Exec(db, "DROP TRIGGER build_signals_sealed_update");
            await Exec(db, $"UPDATE build_signals SET max = 400, outside = 0 WHERE build_id = {id} AND layer = 3 AND signal = 'chamber_o2'");
        }

        var verify = await auditor.GetJsonAsync("/api/v1/builds/verify");
        Assert.False(verify.GetProperty("ok").GetBoolean());
        var broken = verify.GetProperty("firstBroken");
        Assert.Equal(1, broken.GetProperty("seq").GetInt32());
        Assert.Equal("AM-20261122-001", broken.GetProperty("batchNumber").GetString());
        Assert.Contains("content changed", broken.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SignedEntryEdited_NamesTheEntry()
    {
        await using var build = await PrintedBuild.StartAsync();
        var id = (await build.RecordAsync()).Id;
        using var manager = build.Host.Client(Role.Manager);
        await manager.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{id}/entries", Entry("material",
            ("material", "Ti-6Al-4V ELI"), ("powder_lot", "PL-2026-118"), ("reuse_count", "3"), ("sieve", "sieved")), HttpStatusCode.Created);
        await manager.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{id}/release", new { fields = Release });

        await using (var db = Open(build.RecordsPath))
        {
            await Exec(db, "DROP TRIGGER build_entries_no_update");
            await Exec(db, "UPDATE build_entries SET fields = replace(fields, 'PL-2026-118', 'PL-2026-119') WHERE kind = 'material'");
        }

        var broken = (await manager.GetJsonAsync("/api/v1/builds/verify")).GetProperty("firstBroken");
        Assert.Contains("material by manager-token) changed since it was signed", broken.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parts_GetPartNumbersAndUdis_AndTraceabilityFindsThemEveryWay()
    {
        await using var build = await PrintedBuild.StartAsync();
        var record = await build.RecordAsync();
        using var operatorClient = build.Host.Client(Role.Operator);
        await operatorClient.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{record.Id}/entries", Entry("material",
            ("material", "Ti-6Al-4V ELI"), ("powder_lot", "PL-2026-118"), ("reuse_count", "3"), ("sieve", "sieved")), HttpStatusCode.Created);
        var p1 = await operatorClient.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{record.Id}/parts", new { fields = Part("CASE-7Q2K") }, HttpStatusCode.Created);
        await operatorClient.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{record.Id}/parts", new { fields = Part("CASE-9ZZ1") }, HttpStatusCode.Created);

        Assert.Equal("AM-20261122-001-P01", p1.GetProperty("partNumber").GetString());
        Assert.Equal("(01)09506000134352(11)261122(10)AM-20261122-001(21)AM-20261122-001-P01", p1.GetProperty("udi").GetString());
        Assert.Equal("0109506000134352112611221" + "0AM-20261122-001\u001d21AM-20261122-001-P01", p1.GetProperty("udiElementString").GetString());

        static string Q(string text) => Uri.EscapeDataString(text);
        var byBatch = await operatorClient.GetJsonAsync("/api/v1/builds/trace?batch=AM-20261122-001");
        Assert.Equal((1, 2), (byBatch.GetProperty("builds").GetArrayLength(), byBatch.GetProperty("parts").GetArrayLength()));
        var byUdi = await operatorClient.GetJsonAsync("/api/v1/builds/trace?udi=" + Q("]d2" + p1.GetProperty("udiElementString").GetString()));
        Assert.Equal("CASE-7Q2K", Assert.Single(byUdi.GetProperty("parts").EnumerateArray()).GetProperty("caseRef").GetString());
        Assert.Equal(record.Id, byUdi.GetProperty("builds")[0].GetProperty("id").GetInt64());
        var byLot = await operatorClient.GetJsonAsync("/api/v1/builds/trace?powderLot=PL-2026-118");
        Assert.Equal((1, 2), (byLot.GetProperty("builds").GetArrayLength(), byLot.GetProperty("parts").GetArrayLength()));
        Assert.Equal(0, (await operatorClient.GetJsonAsync("/api/v1/builds/trace?powderLot=PL-0000")).GetProperty("builds").GetArrayLength());
        var byCase = await operatorClient.GetJsonAsync("/api/v1/builds/trace?caseRef=CASE-9ZZ1");
        Assert.Equal("AM-20261122-001-P02", Assert.Single(byCase.GetProperty("parts").EnumerateArray()).GetProperty("partNumber").GetString());
        var byMachine = await operatorClient.GetJsonAsync($"/api/v1/builds/trace?device=am-01&from={Q("2026-11-22T00:00:00Z")}&to={Q("2026-11-23T00:00:00Z")}");
        Assert.Equal(1, byMachine.GetProperty("builds").GetArrayLength());
        Assert.Equal(0, (await operatorClient.GetJsonAsync($"/api/v1/builds/trace?device=am-01&from={Q("2026-11-23T00:00:00Z")}")).GetProperty("builds").GetArrayLength());

        var badUdi = await operatorClient.SendJsonAsync(HttpMethod.Get, "/api/v1/builds/trace?udi=" + Q("(01)09506000134353(21)X"), new { }, HttpStatusCode.BadRequest);
        Assert.Contains("check digit", badUdi.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_SealedRecord_CanonicalTextHashesToTheSealAndReportPrints()
    {
        await using var build = await PrintedBuild.StartAsync();
        var id = (await build.RecordAsync()).Id;
        using var manager = build.Host.Client(Role.Manager);
        await manager.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{id}/parts", new { fields = Part("CASE-7Q2K") }, HttpStatusCode.Created);
        await manager.SendJsonAsync(HttpMethod.Post, $"/api/v1/builds/{id}/release", new { fields = Release });
        using var auditor = build.Host.Client(Role.Auditor);

        var export = await auditor.GetJsonAsync($"/api/v1/builds/{id}/export");

        Assert.Equal("eqiot.build-record/1", export.GetProperty("format").GetString());
        var canonical = export.GetProperty("canonical").GetString()!;
        Assert.Equal(export.GetProperty("contentHash").GetString(), Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))));
        Assert.True(export.GetProperty("verification").GetProperty("ok").GetBoolean());
        Assert.Equal(5, export.GetProperty("build").GetProperty("layers").GetArrayLength());

        using var response = await auditor.GetAsync(ApiJson.U($"/api/v1/builds/{id}/report"));
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("增材制造生产记录", html, StringComparison.Ordinal);
        Assert.Contains("AM-20261122-001-P01", html, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"bad\"><td>3</td>", html, StringComparison.Ordinal);
        Assert.Contains("@page", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        var english = await auditor.GetStringAsync(ApiJson.U($"/api/v1/builds/{id}/report?lang=en"));
        Assert.Contains("Ledger intact", english, StringComparison.Ordinal);

        var audit = await build.Host.Client(Role.Admin).GetJsonAsync("/api/v1/audit?limit=50");
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == "GET /api/v1/builds/{id:long}/export"
            && a.GetProperty("actor").GetString() == "auditor-token");
    }

    private static object Entry(string kind, params (string Key, string Value)[] fields) =>
        new { kind, fields = fields.ToDictionary(f => f.Key, f => f.Value) };

    private static Dictionary<string, string> Part(string caseRef) => new() { ["case_ref"] = caseRef, ["device_name"] = "custom acetabular cup 54 mm" };

    private static SqliteConnection Open(string path)
    {
        var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        return c;
    }

    private static async Task Exec(SqliteConnection c, string sql)
    {
        await using var command = c.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
