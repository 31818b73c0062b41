using System.Globalization;
using EquipmentIoT.IntegrationTests.Dicom;
using EquipmentIoT.Protocols.Dicom;
using EquipmentIoT.Protocols.Dicom.Association;
using EquipmentIoT.Protocols.Dicom.Dimse;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Probe;

/// <summary><c>eqiot agent probe dicom echo|mpps</c> against our SCP, our SCU and dcmtk's echoscu.</summary>
public sealed class DicomProbeTests
{
    [Fact]
    public async Task ProbeDicomEcho_OurScp_PrintsAcceptedAndSuccess()
    {
        await using var listener = await MppsListenerFixture.StartAsync();
        var (exit, stdout, stderr) = await ProbeProcess.RunAsync("dicom", "echo", "--host", "127.0.0.1", "--port", Invariant(listener.Port),
            "--called-ae", MppsListenerFixture.AeTitle, "--calling-ae", "CT01");
        Assert.True(exit == 0, stderr);
        Assert.Contains(stdout, l => l.StartsWith("Association accepted by EQIOT@127.0.0.1:", StringComparison.Ordinal));
        Assert.Contains("C-ECHO status 0x0000 (Success)", stdout);
        Assert.Contains("Released", stdout);
    }

    [Fact]
    public async Task ProbeDicomEcho_WrongCalledAe_Exits1Rejected()
    {
        await using var listener = await MppsListenerFixture.StartAsync();
        var (exit, _, stderr) = await ProbeProcess.RunAsync("dicom", "echo", "--host", "127.0.0.1", "--port", Invariant(listener.Port),
            "--called-ae", "NOT-US", "--calling-ae", "CT01");
        Assert.Equal(1, exit);
        Assert.Contains("association rejected", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeDicomMpps_EchoscuThenExamFromOurScu_PrintsScrubbedEventsAndExits0()
    {
        var port = FreePort.Next();
        await using var probe = ProbeProcess.Start("dicom", "mpps", "--port", Invariant(port), "--ae", "EQIOT", "--calling-ae", "CT01", "-W", "60");
        await ProbeProcess.WaitListeningAsync(probe);

        await using (var echoscu = ChildProcess.Start(ExternalTool.Require("echoscu", "dcmtk"), ["-aet", "CT01", "-aec", "EQIOT", "127.0.0.1", Invariant(port)]))
        {
            Assert.Equal(0, await echoscu.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        const string uid = "1.2.826.0.1.3680043.2.1143.5.77";
        var options = new DicomClientOptions { CallingAeTitle = "CT01", CalledAeTitle = "EQIOT" };
        await using (var client = await DicomClient.ConnectAsync("127.0.0.1", port, options, [DicomUids.ModalityPerformedProcedureStep], TimeProvider.System, CancellationToken.None))
        {
            Assert.Equal(DimseStatus.Success, (await client.CreateAsync(DicomUids.ModalityPerformedProcedureStep, uid, DicomScuScpTests.Step("CT01"), CancellationToken.None)).Status);
            Assert.Equal(DimseStatus.Success, (await client.SetAsync(DicomUids.ModalityPerformedProcedureStep, uid, DicomScuScpTests.Completed(3), CancellationToken.None)).Status);
            await client.ReleaseAsync(CancellationToken.None);
        }

        Assert.Equal(0, await probe.WaitForExitAsync(ProbeProcess.ExitTimeout));
        var output = probe.StdoutLines;
        Assert.Contains(output, l => l.StartsWith("C-ECHO from CT01", StringComparison.Ordinal));
        Assert.Contains("[1] N-CREATE from CT01 (IN PROGRESS): exam.started", output);
        Assert.Contains("[2] N-SET from CT01 (COMPLETED): exam.completed", output);
        Assert.Contains("    Modality = CT", output);
        Assert.Contains("    NumberOfImages = 3", output);
        Assert.Contains("    DurationSeconds = 1800", output);
        Assert.Contains(output, l => l.StartsWith("    SOPInstanceUID = ", StringComparison.Ordinal));
        var all = string.Join('\n', output);
        Assert.DoesNotContain(uid, all, StringComparison.Ordinal); // pseudonymised
        Assert.DoesNotContain("Doe", all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Jane", all, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("-- 2 messages", output[^1]);
    }

    [Fact]
    public async Task ProbeDicomMpps_NothingArrivesWithinTimeout_Exits1()
    {
        var (exit, _, stderr) = await ProbeProcess.RunAsync("dicom", "mpps", "--port", Invariant(FreePort.Next()), "-W", "1");
        Assert.Equal(1, exit);
        Assert.Contains("0 messages and no finished exam within 1 s", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dicom", "echo", "--port", "104")]
    [InlineData("dicom", "echo", "--host", "h", "--port", "104", "--called-ae", "WAY-TOO-LONG-AE-TITLE")]
    [InlineData("dicom", "mpps")]
    [InlineData("dicom", "mpps", "--port", "1", "--accept-any", "--calling-ae", "CT01")]
    public async Task ProbeDicom_UsageError_Exits2(params string[] arguments)
    {
        var (exit, _, stderr) = await ProbeProcess.RunAsync(arguments);
        Assert.Equal(2, exit);
        Assert.StartsWith("Error: ", stderr, StringComparison.Ordinal);
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
