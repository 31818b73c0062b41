using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Dicom;

/// <summary>dcmtk's echoscu (a C-ECHO SCU we did not write) against the agent's MPPS listener.</summary>
public sealed class EchoscuTests
{
    private static string Echoscu => ExternalTool.Require("echoscu", "dcmtk");

    [Fact]
    public async Task Echoscu_RightAeTitles_Succeeds()
    {
        await using var listener = await MppsListenerFixture.StartAsync();
        var (code, output) = await RunAsync(listener, "-aet", "ECHOSCU", "-aec", MppsListenerFixture.AeTitle);
        Assert.True(code == 0, $"echoscu exit {code}: {output}");
        await Wait.UntilAsync(() => listener.Adapter.ServerStatistics!.Accepted >= 1, TimeSpan.FromSeconds(10), "the association counted");
        Assert.Equal(1, listener.Adapter.ServerStatistics!.Accepted);
        Assert.All(listener.Adapter.DeviceStatuses.Values, s => Assert.Equal(EdgeAgent.Collection.AdapterState.Ok, s.State));
    }

    [Fact]
    public async Task Echoscu_ManyContextsAndTransferSyntaxes_Succeeds()
    {
        // 8 contexts with all 38 transfer syntaxes echoscu knows (big endian, JPEG, …): we pick a little endian one.
        await using var listener = await MppsListenerFixture.StartAsync();
        var (code, output) = await RunAsync(listener, "-aet", "ECHOSCU", "-aec", MppsListenerFixture.AeTitle, "-ppc", "8", "-pts", "38");
        Assert.True(code == 0, $"echoscu exit {code}: {output}");
    }

    [Fact]
    public async Task Echoscu_WrongCalledAeTitle_IsRejectedCalledAeNotRecognized()
    {
        await using var listener = await MppsListenerFixture.StartAsync();
        var (code, output) = await RunAsync(listener, "-aet", "ECHOSCU", "-aec", "NOT-US");
        Assert.NotEqual(0, code);
        Assert.Contains("Association Rejected", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Called AE Title Not Recognized", output, StringComparison.OrdinalIgnoreCase);
        // echoscu may exit on the A-ASSOCIATE-RJ before the listener has counted it: a bounded wait, then exactly one.
        await Wait.UntilAsync(() => listener.Adapter.ServerStatistics!.Rejected >= 1, TimeSpan.FromSeconds(10), "the rejection counted");
        Assert.Equal(1, listener.Adapter.ServerStatistics!.Rejected);
    }

    [Fact]
    public async Task Echoscu_UnknownCallingAeTitle_IsRejectedCallingAeNotRecognized()
    {
        await using var listener = await MppsListenerFixture.StartAsync();
        var (code, output) = await RunAsync(listener, "-aet", "STRANGER", "-aec", MppsListenerFixture.AeTitle);
        Assert.NotEqual(0, code);
        Assert.Contains("Calling AE Title Not Recognized", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Echoscu_SmallMaxPdu_IsAnsweredWithinIt()
    {
        // echoscu announces 4096 bytes here: our response PDUs must stay within it (dcmtk checks).
        await using var listener = await MppsListenerFixture.StartAsync();
        var (code, output) = await RunAsync(listener, "-aet", "ECHOSCU", "-aec", MppsListenerFixture.AeTitle, "--max-pdu", "4096", "-d");
        Assert.True(code == 0, $"echoscu exit {code}: {output}");
    }

    private static async Task<(int Code, string Output)> RunAsync(MppsListenerFixture listener, params string[] arguments)
    {
        await using var echoscu = ChildProcess.Start(Echoscu, [.. arguments, "127.0.0.1", listener.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var code = await echoscu.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return (code, string.Join('\n', echoscu.StdoutLines.Concat(echoscu.StderrLines)));
    }
}
