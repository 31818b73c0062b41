using System.Globalization;
using System.Net;
using System.Runtime.Versioning;
using EquipmentIoT.Protocols.Modbus.Server;

namespace EquipmentIoT.Bench.Modbus;

/// <summary>
/// <c>eqiot-bench modbus</c>: registers per second our Modbus TCP master polls, against Debian's pymodbus server,
/// beside mbpoll against the same server in the same run. Target (the issue): at least as fast as mbpoll.
/// A measurement: exits 0 whatever the figures, 1 when a step failed, 2 on a bad command line.
/// </summary>
internal static class ModbusBenchCommand
{
    public const double TargetRatio = 1.0;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        ModbusBenchOptions o;
        try
        {
            o = ModbusBenchOptions.Parse(args);
        }
        catch (CommandLineException ex)
        {
            await Console.Error.WriteLineAsync($"eqiot-bench modbus: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        if (o.ShowHelp)
        {
            Console.WriteLine(ModbusBenchOptions.Help);
            return 0;
        }

        if (!OperatingSystem.IsLinux())
        {
            await Console.Error.WriteLineAsync("eqiot-bench modbus: runs on Linux only (the agent's adapters do)").ConfigureAwait(false);
            return 1;
        }

        try
        {
            await RunAllAsync(o, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("eqiot-bench modbus: cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or TimeoutException
            or EquipmentIoT.Protocols.Modbus.ModbusProtocolException)
        {
            await Console.Error.WriteLineAsync($"eqiot-bench modbus: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    [SupportedOSPlatform("linux")]
    private static async Task RunAllAsync(ModbusBenchOptions o, CancellationToken cancellationToken)
    {
        var duration = TimeSpan.FromSeconds(o.Seconds);
        await using var pymodbus = await PymodbusProcess.StartAsync(cancellationToken).ConfigureAwait(false);
        Print($"modbus: FC3 read of {o.Registers} holding registers from unit 1, one request at a time, {o.Seconds} s per run, loopback; {Environment.ProcessorCount} cores");
        Print($"server: Debian pymodbus (python3-pymodbus, /usr/bin/python3) on 127.0.0.1:{pymodbus.Port}");

        var ours = await MasterPollRun.RunAsync(pymodbus.Port, o.Registers, duration, cancellationToken).ConfigureAwait(false);
        Report("  ours: ModbusTcpMaster (MaxInFlight 1, as the adapter)", ours);
        var mbpoll = await MbpollRun.RunAsync(pymodbus.Port, o.Registers, duration, cancellationToken).ConfigureAwait(false);
        Report($"  mbpoll {string.Join(' ', MbpollRun.Arguments(pymodbus.Port, o.Registers))}", mbpoll);
        Print($"    (mbpoll's fastest honest setting: -l 10 is its minimum poll rate, it refuses less, and it sleeps 10 ms after each poll)");
        var ratio = ours.RegistersPerSecond / mbpoll.RegistersPerSecond;
        Print($"  ours / mbpoll: {ratio:0.00}x   {Verdict.AtLeast(ratio, TargetRatio, "x")}");
        // mbpoll cannot poll without its sleep; what is left of its cycle is its own request, response and printing.
        var busy = mbpoll.Seconds / mbpoll.Requests - MbpollRun.PollRateMilliseconds / 1000.0;
        if (busy > 0)
        {
            var unslept = o.Registers / busy;
            Print($"  mbpoll less its 10 ms sleep (derived): {busy * 1000:0.000} ms/request = {unslept:N0} registers/s; ours / that: {ours.RegistersPerSecond / unslept:0.00}x");
        }

        var adapters = await AdapterPollRun.RunAsync(pymodbus.Port, o.Registers, o.Devices, duration, cancellationToken).ConfigureAwait(false);
        Print($"");
        Print($"agent path: {o.Devices} ModbusAdapters (profile: {o.Registers} uint16 holding registers, pollInterval 10 ms) sharing one ModbusBus to pymodbus");
        Report("  adapters -> counting sink", adapters.Poll);
        Print($"    {adapters.Metrics / adapters.Poll.Seconds:N0} metrics/s into the sink; {adapters.Poll.RequestsPerSecond / o.Devices:0.0} polls/s per adapter of the 100 its interval asks for (the bus carries {adapters.Poll.RequestsPerSecond / ours.RequestsPerSecond:0.00}x the bare master's requests/s above)");

        var store = new ModbusDataStore(holdingRegisters: 125);
        store.SetHoldingRegisters(0, [.. Enumerable.Range(0, 125).Select(i => (ushort)i)]);
        await using var server = new ModbusServer(store);
        var endpoint = server.StartTcp(new IPEndPoint(IPAddress.Loopback, 0));
        Print($"");
        Print($"reference: our ModbusServer (EquipmentIoT.Protocols.Modbus, in this process) on 127.0.0.1:{endpoint.Port}");
        var own = await MasterPollRun.RunAsync(endpoint.Port, o.Registers, duration, cancellationToken).ConfigureAwait(false);
        Report("  ours: ModbusTcpMaster (MaxInFlight 1) -> ModbusServer", own);
        Print($"    (CPU here is master and server together: both run in this process)");
    }

    private static void Report(string label, PollResult r)
    {
        var cpu = double.IsNaN(r.CpuSeconds) ? "" : string.Create(CultureInfo.InvariantCulture, $", master CPU {r.CpuSeconds * 1e6 / Math.Max(1, r.Requests):0} us/request");
        Print($"{label}");
        Print($"    {r.Requests,9:N0} requests in {r.Seconds:0.00} s = {r.RequestsPerSecond,8:N0} requests/s = {r.RegistersPerSecond,10:N0} registers/s, {1000 / r.RequestsPerSecond:0.000} ms/request{cpu}");
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
