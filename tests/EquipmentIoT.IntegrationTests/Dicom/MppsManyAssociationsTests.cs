using System.Diagnostics;
using EquipmentIoT.Protocols.Dicom;
using EquipmentIoT.Protocols.Dicom.Association;
using EquipmentIoT.Protocols.Telemetry.Model;
using Xunit.Abstractions;

namespace EquipmentIoT.IntegrationTests.Dicom;

/// <summary>
/// Many MPPS associations in a row through the agent's adapter, four at a time: every exam arrives, none is lost
/// or doubled. (The rate is measured by <c>eqiot-bench mpps</c>, not here: speed is for benchmarks.)
/// </summary>
public sealed class MppsManyAssociationsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Associations_FourHundredInParallel_EveryExamCompletedOnce()
    {
        const int exams = 400;
        const int parallel = 4;
        await using var listener = await MppsListenerFixture.StartAsync(o => o.MaxAssociations = 8);
        var options = new DicomClientOptions { CallingAeTitle = "CT01", CalledAeTitle = MppsListenerFixture.AeTitle };
        var next = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i <= exams; i = Interlocked.Increment(ref next))
            {
                var uid = $"1.2.826.0.1.3680043.2.1143.9.{i}";
                await using var client = await DicomClient.ConnectAsync("127.0.0.1", listener.Port, options, [DicomUids.ModalityPerformedProcedureStep], TimeProvider.System, CancellationToken.None);
                Assert.True((await client.CreateAsync(DicomUids.ModalityPerformedProcedureStep, uid, DicomScuScpTests.Step("CT01"), CancellationToken.None)).Status.IsSuccess);
                Assert.True((await client.SetAsync(DicomUids.ModalityPerformedProcedureStep, uid, DicomScuScpTests.Completed(20), CancellationToken.None)).Status.IsSuccess);
                await client.ReleaseAsync(CancellationToken.None);
            }
        })));
        var completed = await listener.Sink.WaitForAsync(EventTypes.ExamCompleted, exams);
        Assert.Equal(exams, completed.Select(e => e.Data["SOPInstanceUID"].AsString).Distinct().Count());
        output.WriteLine($"{exams} MPPS associations (N-CREATE + N-SET COMPLETED, 20 images) in {clock.Elapsed.TotalSeconds:F2} s, {parallel} in parallel");
    }
}
