using EquipmentIoT.Simulators.Models;
using EquipmentIoT.Simulators.Outputs;
using EquipmentIoT.Simulators.Scenarios;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Simulators.Simulation;

/// <summary>Runs a <see cref="CtModel"/>: a status line a second on its serial port, exams over MPPS, the serial scenarios.</summary>
public sealed partial class CtSimulator(CtModel model, ISerialOutput serial, ExamRelay? exams, ScenarioScript script,
    SimulationClock clock, TimeProvider time, ILogger<CtSimulator> logger, int seed)
{
    private readonly Noise _noise = new(seed + 1);

    /// <summary>Status lines written.</summary>
    public long Lines { get; private set; }

    /// <summary>Runs until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        var last = clock.Elapsed;
        do
        {
            var elapsed = clock.Elapsed;
            Stepper.Advance(elapsed - last, clock.Now, model.Advance);
            last = elapsed;
            await FollowCableAsync(elapsed, cancellationToken).ConfigureAwait(false);
            if (serial.IsPlugged)
            {
                if (script.IsActive(ScenarioKind.Garbage, elapsed) && _noise.Chance(0.3))
                {
                    await serial.WriteAsync(CtStatusLine.Garbage(_noise), cancellationToken).ConfigureAwait(false);
                }

                await serial.WriteAsync(System.Text.Encoding.ASCII.GetBytes(CtStatusLine.Format(model.Snapshot)), cancellationToken).ConfigureAwait(false);
                Lines++;
            }

            if (exams is not null) await exams.RelayAsync(model.ExamUpdates, cancellationToken).ConfigureAwait(false);
            else model.ExamUpdates.Clear();
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    private async Task FollowCableAsync(TimeSpan elapsed, CancellationToken cancellationToken)
    {
        var unplugged = script.IsActive(ScenarioKind.Unplugged, elapsed);
        if (unplugged && serial.IsPlugged)
        {
            LogCable(logger, serial.Path, "pulled");
            await serial.UnplugAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (!unplugged && !serial.IsPlugged)
        {
            await serial.PlugAsync(cancellationToken).ConfigureAwait(false);
            LogCable(logger, serial.Path, "plugged back");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "CT serial cable {Path}: {What}")]
    private static partial void LogCable(ILogger logger, string path, string what);
}

/// <summary>Advances a model over a span of simulated time in steps of at most one simulated second.</summary>
public static class Stepper
{
    private static readonly TimeSpan MaxStep = TimeSpan.FromSeconds(1);

    /// <summary>Calls <paramref name="advance"/> with steps summing to <paramref name="span"/>, ending at <paramref name="now"/>.</summary>
    public static void Advance(TimeSpan span, DateTimeOffset now, Action<TimeSpan, DateTimeOffset> advance)
    {
        if (span <= TimeSpan.Zero) return;
        var steps = (long)Math.Ceiling(span / MaxStep);
        var step = span / steps;
        for (var i = steps - 1; i > 0; i--) advance(step, now - step * i);
        advance(span - step * (steps - 1), now); // the remainder, so the steps add up exactly
    }
}
