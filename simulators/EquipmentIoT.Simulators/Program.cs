using EquipmentIoT.Simulators.Outputs;
using EquipmentIoT.Simulators.Scenarios;
using EquipmentIoT.Simulators.Simulation;
using Microsoft.Extensions.Logging;

// eqiot-sim: CT, MR and metal-printer stand-ins speaking the equipment's own protocols.
if (args is [] or ["--help"] or ["-h"]) return Usage(0);
if (args is ["scenarios"])
{
    foreach (var name in ScenarioNames.All) Console.WriteLine(name);
    return 0;
}

var options = SimulatorOptions.Parse(args, out var error);
if (options is null)
{
    Console.Error.WriteLine($"eqiot sim: {error}");
    return Usage(2);
}

using var logs = LoggerFactory.Create(b => b.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.UseUtcTimestamp = true;
    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
}).AddFilter(level => level >= LogLevel.Information));
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
{
    c.Cancel = true;
    stop.Cancel();
});
if (options.RunFor is { } runFor) stop.CancelAfter(runFor);
try
{
    await new SimulatorRun(options, MppsOutputs.Create, logs, Console.Out).RunAsync(stop.Token);
    return 0;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or FormatException
    or EquipmentIoT.Protocols.Serial.SerialCommunicationException)
{
    Console.Error.WriteLine($"eqiot sim: {e.Message}");
    return 1;
}

static int Usage(int code)
{
    Console.WriteLine("""
        eqiot sim — EquipmentIoT equipment simulators

          eqiot sim ct      --serial PATH [--mpps HOST:PORT] [--calling-ae CT01] [--called-ae EQIOT] [--exam-every 6m]
                            status lines on a pseudo terminal linked at PATH (9600 8N1), exams over DICOM MPPS
          eqiot sim mr      --modbus tcp://IP:PORT|rtu:PATH [--unit 1] [--mpps HOST:PORT] [--calling-ae MR01]
                            helium/cooling monitor as a Modbus TCP slave, or RTU on a pseudo terminal linked at PATH
                            (input registers), exams over MPPS
          eqiot sim printer --modbus tcp://IP:PORT|rtu:PATH [--unit 1] [--layer-time 30s] [--max-layers 400]
                            metal powder-bed printer as a Modbus TCP slave (holding registers, discrete inputs)
          eqiot sim all     --serial PATH --mr-modbus URL --printer-modbus URL [--mpps HOST:PORT] [--ct-ae CT01] [--mr-ae MR01]
          eqiot sim scenarios   list the scenarios

          common: [--speed X] (simulated seconds per second) [--seed N] [--for 10m]
                  [--scenario NAME[@START][+DURATION]]…  e.g. --scenario helium-leak@10m --scenario unplugged@2m+30s
        """);
    return code;
}
