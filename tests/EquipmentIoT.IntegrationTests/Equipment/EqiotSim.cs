using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Equipment;

/// <summary>The built equipment simulators, <c>dotnet eqiot-sim.dll …</c>, as a real child process.</summary>
internal sealed class EqiotSim : IAsyncDisposable
{
    private static readonly string Dll = BuiltProgram.Dll("EqiotSimDll", "eqiot-sim.dll", "Simulators");

    private EqiotSim(ChildProcess process) => Process = process;

    public ChildProcess Process { get; }

    /// <summary>Starts <c>eqiot-sim ARGS</c> and waits until it printed its endpoints.</summary>
    public static async Task<EqiotSim> StartAsync(IEnumerable<string> arguments)
    {
        var sim = new EqiotSim(ChildProcess.Start(BuiltProgram.DotnetHost, [Dll, .. arguments]));
        try
        {
            await Wait.UntilAsync(() => sim.Process.StdoutLines.Any(l => l.StartsWith("running at", StringComparison.Ordinal)) || sim.Process.HasExited,
                TimeSpan.FromSeconds(30), "the simulators to start");
            if (sim.Process.HasExited) throw new InvalidOperationException($"eqiot-sim exited: {sim.Process.StderrTail()}");
            return sim;
        }
        catch
        {
            await sim.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
