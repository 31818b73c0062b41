using EquipmentIoT.Simulators.Models;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Simulators.Simulation;

/// <summary>
/// Sends a model's exam updates in order over MPPS; when the SCP (the agent) is unreachable it keeps them and
/// tries again next tick, as a modality's MPPS queue does, up to a bound beyond which the oldest are dropped.
/// </summary>
public sealed partial class ExamRelay(IExamOutput output, ILogger logger)
{
    /// <summary>Updates kept while the SCP is unreachable.</summary>
    public const int MaxPending = 1000;

    private readonly Queue<Exam> _pending = new();

    /// <summary>Exam updates sent successfully.</summary>
    public long Sent { get; private set; }

    /// <summary>Sends <paramref name="updates"/> (drained) after anything still pending.</summary>
    public async Task RelayAsync(Queue<Exam> updates, CancellationToken cancellationToken)
    {
        while (updates.TryDequeue(out var exam))
        {
            _pending.Enqueue(exam with { });
            if (_pending.Count > MaxPending) _pending.Dequeue();
        }

        while (_pending.TryPeek(out var next))
        {
            try
            {
                await output.ReportAsync(next, cancellationToken).ConfigureAwait(false);
            }
            catch (ExamRefusedException e)
            {
                // A modality gives up on a step its SCP refuses (as the standard's N-SET after COMPLETED): keep the rest going.
                LogRefused(logger, next.Modality, e.Message);
                _pending.Dequeue();
                continue;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSendFailed(logger, next.Modality, _pending.Count, e.Message);
                return;
            }

            _pending.Dequeue();
            Sent++;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Modality}: MPPS refused, dropped: {Error}")]
    private static partial void LogRefused(ILogger logger, string modality, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Modality}: MPPS not delivered ({Pending} waiting): {Error}")]
    private static partial void LogSendFailed(ILogger logger, string modality, int pending, string error);
}
