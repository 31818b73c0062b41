using EquipmentIoT.Simulators.Models;
using EquipmentIoT.Simulators.Outputs;
using EquipmentIoT.Simulators.Scenarios;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Simulators.Simulation;

/// <summary>
/// One run of <c>eqiot sim</c>: builds the chosen equipment with its outputs, prints where each can be reached
/// (one line per endpoint, for people and for the demo script), and runs until cancelled.
/// </summary>
public sealed class SimulatorRun(SimulatorOptions options, Func<SimulatorOptions, string, IExamOutput>? mpps, ILoggerFactory logs, TextWriter output)
{
    /// <summary>Runs until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var clock = new SimulationClock(time, options.Speed);
        var script = new ScenarioScript(options.Scenarios);
        var outputs = new List<IAsyncDisposable>();
        var runs = new List<Task>();
        try
        {
            if (options.Equipment is "ct" or "all")
            {
                var serial = new PtySerialOutput(options.Serial!);
                outputs.Add(serial);
                var relay = Relay(options.CtAeTitle, outputs);
                var ct = new CtModel(options.CtAeTitle, options.ExamEvery, script, options.Seed);
                runs.Add(new CtSimulator(ct, serial, relay, script, clock, time, logs.CreateLogger<CtSimulator>(), options.Seed).RunAsync(cancellationToken));
                await output.WriteLineAsync($"ct serial {serial.Path} (9600 8N1) ae {options.CtAeTitle}").ConfigureAwait(false);
            }

            if (options.Equipment is "mr" or "all")
            {
                var registers = new ModbusRegisterOutput(options.MrModbus!, options.UnitId);
                outputs.Add(registers);
                var relay = Relay(options.MrAeTitle, outputs);
                var mr = new MrModel(options.MrAeTitle, options.ExamEvery * 3, script, options.Seed + 10);
                runs.Add(new MrSimulator(mr, registers, relay, clock, time).RunAsync(cancellationToken));
                await output.WriteLineAsync($"mr modbus {registers.Endpoint} unit {options.UnitId} ae {options.MrAeTitle}").ConfigureAwait(false);
            }

            if (options.Equipment is "printer" or "all")
            {
                var registers = new ModbusRegisterOutput(options.PrinterModbus!, options.UnitId);
                outputs.Add(registers);
                var printer = new PrinterModel(options.LayerTime, options.MaxLayers, script, options.Seed + 20);
                runs.Add(new PrinterSimulator(printer, registers, clock, time).RunAsync(cancellationToken));
                await output.WriteLineAsync($"printer modbus {registers.Endpoint} unit {options.UnitId}").ConfigureAwait(false);
            }

            foreach (var step in options.Scenarios)
            {
                await output.WriteLineAsync($"scenario {ScenarioNames.NameOf(step.Kind)} at {step.Start} for {(step.Duration?.ToString() ?? "ever")} (simulated)").ConfigureAwait(false);
            }

            await output.WriteLineAsync($"running at {options.Speed}x; Ctrl-C stops").ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Task.WhenAll(runs).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // stopping
            }
        }
        finally
        {
            foreach (var o in outputs) await o.DisposeAsync().ConfigureAwait(false);
        }
    }

    private ExamRelay? Relay(string aeTitle, List<IAsyncDisposable> outputs)
    {
        if (options.Mpps is null || mpps is null) return null;
        var exams = mpps(options, aeTitle);
        outputs.Add(exams);
        return new ExamRelay(exams, logs.CreateLogger<ExamRelay>());
    }
}
