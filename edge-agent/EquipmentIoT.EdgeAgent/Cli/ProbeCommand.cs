using EquipmentIoT.EdgeAgent.Cli.Probe;
using EquipmentIoT.Protocols.Dicom;
using EquipmentIoT.Protocols.Modbus;
using EquipmentIoT.Protocols.Serial;

namespace EquipmentIoT.EdgeAgent.Cli;

/// <summary>
/// <c>eqiot agent probe serial|modbus|dicom …</c>: commissioning tools that talk to a device with the agent's own
/// protocol code and profiles. Exit codes: 0 ok, 1 the device or peer failed (no answer, exception response,
/// rejected, port missing), 2 usage error.
/// </summary>
internal static class ProbeCommand
{
    private const string ExitCodes = """
        Exit codes: 0 ok, 1 device or peer problem (no answer, exception response, rejected, port missing, -C not reached in -W), 2 usage error.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        try
        {
            return args switch
            {
                ["serial", .. var rest] when !rest.Contains("--help") => await SerialProbe.RunAsync(rest, cts.Token).ConfigureAwait(false),
                ["modbus", .. var rest] when !rest.Contains("--help") => await ModbusProbe.RunAsync(rest, cts.Token).ConfigureAwait(false),
                ["dicom", "echo", .. var rest] when !rest.Contains("--help") => await DicomEchoProbe.RunAsync(rest, cts.Token).ConfigureAwait(false),
                ["dicom", "mpps", .. var rest] when !rest.Contains("--help") => await DicomMppsProbe.RunAsync(rest, cts.Token).ConfigureAwait(false),
                _ => Help(args.Contains("--help") ? 0 : 2),
            };
        }
        catch (ProbeUsageException e)
        {
            await Console.Error.WriteLineAsync($"Error: {e.Message}. See 'eqiot agent probe --help'.").ConfigureAwait(false);
            return 2;
        }
        catch (Exception e) when (e is SerialCommunicationException or ModbusCommunicationException or ModbusProtocolException
                                      or DicomCommunicationException or DicomProtocolException or IOException or TimeoutException
                                      or System.Net.Sockets.SocketException or NotSupportedException)
        {
            await Console.Error.WriteLineAsync($"Error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static int Help(int exitCode)
    {
        Console.WriteLine("eqiot agent probe — talk to a device the way the agent does, while commissioning a site\n");
        Console.WriteLine(SerialProbe.Help);
        Console.WriteLine(ModbusProbe.Help);
        Console.WriteLine(DicomEchoProbe.Help);
        Console.WriteLine(DicomMppsProbe.Help);
        Console.WriteLine(ExitCodes);
        return exitCode;
    }
}
