using System.Diagnostics;
using System.Runtime.Versioning;
using EquipmentIoT.Protocols.Dicom;
using EquipmentIoT.Protocols.Dicom.Association;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Bench.Mpps;

/// <summary>Exams sent through the listener, <c>parallel</c> SCUs at a time, each in its own association.</summary>
[SupportedOSPlatform("linux")]
internal static class MppsAssociationRun
{
    public const int ImagesPerExam = 20;

    /// <summary>
    /// Sends exams <paramref name="first"/>…first+count-1; returns the seconds from the first connect until the
    /// sink has counted every exam.completed event (the last release included).
    /// </summary>
    public static async Task<double> RunAsync(BenchMppsListener listener, int first, int count, int parallel, CancellationToken cancellationToken)
    {
        var options = new DicomClientOptions { CallingAeTitle = BenchMppsListener.CtAeTitle, CalledAeTitle = BenchMppsListener.AeTitle };
        var target = listener.Sink.Completed + count;
        var next = first - 1;
        var last = first + count - 1;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => Task.Run(async () =>
        {
            for (var exam = Interlocked.Increment(ref next); exam <= last; exam = Interlocked.Increment(ref next))
            {
                await OneExamAsync(listener.Port, options, exam, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken))).ConfigureAwait(false);
        await Wait.UntilAsync(() => listener.Sink.Completed >= target, TimeSpan.FromSeconds(30), $"{count} exam.completed events", cancellationToken)
            .ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static async Task OneExamAsync(int port, DicomClientOptions options, int exam, CancellationToken cancellationToken)
    {
        var uid = $"1.2.826.0.1.3680043.2.1143.6.{exam}";
        var client = await DicomClient.ConnectAsync("127.0.0.1", port, options, [DicomUids.ModalityPerformedProcedureStep], TimeProvider.System, cancellationToken)
            .ConfigureAwait(false);
        await using (client.ConfigureAwait(false))
        {
            var created = await client.CreateAsync(DicomUids.ModalityPerformedProcedureStep, uid, ExamDatasets.InProgress(options.CallingAeTitle, exam), cancellationToken)
                .ConfigureAwait(false);
            if (!created.Status.IsSuccess) throw new InvalidOperationException($"exam {exam}: N-CREATE answered {created.Status}");
            var completed = await client.SetAsync(DicomUids.ModalityPerformedProcedureStep, uid, ExamDatasets.Completed(exam, ImagesPerExam), cancellationToken)
                .ConfigureAwait(false);
            if (!completed.Status.IsSuccess) throw new InvalidOperationException($"exam {exam}: N-SET answered {completed.Status}");
            await client.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
