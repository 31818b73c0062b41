using System.Text.Json;
using EquipmentIoT.Protocols.Telemetry.Model;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Dicom;

/// <summary>
/// npm dcmjs-dimse (tests/peers/dcmjs, installed by `npm ci`) as the MPPS SCU against the agent's MPPS
/// adapter: exam events with the expected fields, and no patient data once scrubbed.
/// </summary>
public sealed class DcmjsMppsTests
{
    [Fact]
    public async Task Dcmjs_Gb18030CreateThenComplete_EmitsScrubbedStartedAndCompleted()
    {
        await using var listener = await MppsListenerFixture.StartAsync();
        const string uid = "1.2.826.0.1.3680043.2.1143.77.9";
        var responses = await RunAsync(listener, "CT01", "GB18030", uid, "create", "complete");
        Assert.Equal([("create", 0), ("complete", 0)], responses);

        var started = await listener.Sink.WaitForAsync(EventTypes.ExamStarted);
        var completed = await listener.Sink.WaitForAsync(EventTypes.ExamCompleted);
        Assert.Equal("ct-1", started.Device);
        Assert.Equal("ct-1", completed.Device);
        var s = started.Data;
        Assert.Equal("CT", Text(s, "Modality"));
        Assert.Equal("CT01", Text(s, "PerformedStationAETitle"));
        Assert.Equal("CT ROOM 1", Text(s, "PerformedStationName"));
        Assert.Equal("IN PROGRESS", Text(s, "PerformedProcedureStepStatus"));
        Assert.Equal("[removed]的胸部CT", Text(s, "PerformedProcedureStepDescription")); // 张三 masked inside the description
        Assert.Equal("胸部平扫", Text(s, "RequestedProcedureDescription"));
        Assert.Equal("低剂量胸部", Text(s, "PerformedProtocolCodeMeaning"));
        Assert.Equal("2026-12-02T10:15:00+08:00", Text(s, "PerformedProcedureStepStartDateTime"));
        Assert.Equal("046Y", Text(s, "PatientAge"));
        Assert.StartsWith("a-", Text(s, "AccessionNumber"), StringComparison.Ordinal);
        Assert.StartsWith("2.25.", Text(s, "SOPInstanceUID"), StringComparison.Ordinal);
        Assert.NotEqual(uid, Text(s, "SOPInstanceUID"));

        var c = completed.Data;
        Assert.Equal(Text(s, "SOPInstanceUID"), Text(c, "SOPInstanceUID")); // the same pseudonym links them
        Assert.Equal("COMPLETED", Text(c, "PerformedProcedureStepStatus"));
        Assert.Equal("2026-12-02T10:27:30+08:00", Text(c, "PerformedProcedureStepEndDateTime"));
        Assert.Equal(750, c["DurationSeconds"].AsNumber);
        Assert.Equal(1, c["NumberOfSeries"].AsNumber);
        Assert.Equal(3, c["NumberOfImages"].AsNumber);
        Assert.Equal("低剂量胸部", Text(c, "ProtocolName"));
        Assert.Equal(3.25, c["CTDIvol"].AsNumber);
        Assert.Equal(2, c["TotalNumberOfExposures"].AsNumber);
        Assert.Equal(2, c["NumberOfExposureDoseItems"].AsNumber);
        Assert.Equal("low dose protocol", Text(c, "CommentsOnRadiationDose"));

        AssertNoPatientData(started, "张", "三", "MRN-20261202-7", "19800101", "ACC-778899");
        AssertNoPatientData(completed, "张", "三", "MRN-20261202-7", "19800101", "ACC-778899");
    }

    [Fact]
    public async Task Dcmjs_Utf8CreateThenComplete_EmitsScrubbedEventsOnTheMrDevice()
    {
        await using var listener = await MppsListenerFixture.StartAsync();
        var responses = await RunAsync(listener, "MR01", "ISO_IR 192", "1.2.826.0.1.3680043.2.1143.42.9", "create", "complete");
        Assert.Equal([("create", 0), ("complete", 0)], responses);

        var started = await listener.Sink.WaitForAsync(EventTypes.ExamStarted);
        var completed = await listener.Sink.WaitForAsync(EventTypes.ExamCompleted);
        Assert.Equal("mr-1", started.Device);
        Assert.Equal("MR", Text(started.Data, "Modality"));
        Assert.Equal("头部MR", Text(started.Data, "PerformedProcedureStepDescription"));
        Assert.Equal("头部平扫", Text(started.Data, "RequestedProcedureDescription"));
        Assert.Equal("2026-12-02T08:00:00+08:00", Text(started.Data, "PerformedProcedureStepStartDateTime"));
        Assert.Equal(2, completed.Data["NumberOfImages"].AsNumber);
        Assert.Equal("t1_mprage", Text(completed.Data, "ProtocolName"));
        Assert.False(started.Data.ContainsKey("AccessionNumber")); // the MR profile does not name it
        AssertNoPatientData(started, "李", "四", "MRN-UTF8-42", "ACC-42");
        AssertNoPatientData(completed, "李", "四", "MRN-UTF8-42", "ACC-42");
    }

    [Fact]
    public async Task Dcmjs_Discontinue_EmitsDiscontinued()
    {
        await using var listener = await MppsListenerFixture.StartAsync();
        var responses = await RunAsync(listener, "CT01", "GB18030", "1.2.826.0.1.3680043.2.1143.77.10", "create", "discontinue");
        Assert.Equal([("create", 0), ("discontinue", 0)], responses);
        var discontinued = await listener.Sink.WaitForAsync(EventTypes.ExamDiscontinued);
        Assert.Equal("DISCONTINUED", Text(discontinued.Data, "PerformedProcedureStepStatus"));
    }

    [Fact]
    public async Task Dcmjs_NSetOnUnknownInstance_GetsNoSuchSopInstance()
    {
        await using var listener = await MppsListenerFixture.StartAsync();
        var responses = await RunAsync(listener, "CT01", "GB18030", "1.2.826.0.1.3680043.2.1143.77.11", "set-unknown");
        Assert.Equal([("set-unknown", 0x0112)], responses);
        Assert.Empty(listener.Sink.Events);
    }

    [Fact]
    public async Task Dcmjs_SecondCompleted_GetsProcessingFailure()
    {
        await using var listener = await MppsListenerFixture.StartAsync();
        var responses = await RunAsync(listener, "CT01", "GB18030", "1.2.826.0.1.3680043.2.1143.77.12", "create", "complete", "complete");
        Assert.Equal([("create", 0), ("complete", 0), ("complete", 0x0110)], responses);
        Assert.Single(listener.Sink.Events, e => e.Type == EventTypes.ExamCompleted);
    }

    private static string Text(IReadOnlyDictionary<string, EventValue> data, string key) =>
        data.TryGetValue(key, out var value) ? value.AsString : throw new Xunit.Sdk.XunitException($"no '{key}' in {string.Join(", ", data.Keys)}");

    private static void AssertNoPatientData(TelemetryEvent e, params string[] values)
    {
        foreach (var key in new[] { "PatientName", "PatientID", "PatientBirthDate", "OtherPatientIDs" }) Assert.False(e.Data.ContainsKey(key), key);
        foreach (var (key, value) in e.Data)
        {
            foreach (var secret in values) Assert.DoesNotContain(secret, value.ToString(), StringComparison.Ordinal);
            Assert.NotNull(key);
        }
    }

    private static async Task<List<(string Step, int Status)>> RunAsync(MppsListenerFixture listener, string callingAe, string charset, string uid, params string[] steps)
    {
        var node = ExternalTool.Require("node", "nodejs");
        var peer = PeerDirectory();
        var config = JsonSerializer.Serialize(new { host = "127.0.0.1", port = listener.Port, calling = callingAe, called = MppsListenerFixture.AeTitle, charset, uid, steps });
        await using var scu = ChildProcess.Start(node, [Path.Combine(peer, "mpps-scu.js"), config], workingDirectory: peer);
        var code = await scu.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(code == 0, $"dcmjs-dimse SCU exit {code}: {string.Join('\n', scu.StdoutLines.Concat(scu.StderrLines))}");
        return scu.StdoutLines.Where(l => l.StartsWith('{')).Select(l =>
        {
            using var json = JsonDocument.Parse(l);
            return (json.RootElement.GetProperty("step").GetString()!, json.RootElement.GetProperty("status").GetInt32());
        }).ToList();
    }

    private static string PeerDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EquipmentIoT.sln"))) directory = directory.Parent;
        var peer = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("no EquipmentIoT.sln above the test binaries"), "tests", "peers", "dcmjs");
        if (!Directory.Exists(Path.Combine(peer, "node_modules", "dcmjs-dimse")))
            throw new InvalidOperationException($"dcmjs-dimse is not installed in {peer}: run 'npm ci' there (./eqiot test does)");
        return peer;
    }
}
