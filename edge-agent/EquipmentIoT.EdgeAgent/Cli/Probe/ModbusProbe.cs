using System.Globalization;
using EquipmentIoT.EdgeAgent.Adapters.Modbus;
using EquipmentIoT.Protocols.Modbus;
using EquipmentIoT.Protocols.Modbus.Client;
using EquipmentIoT.Protocols.Serial;

namespace EquipmentIoT.EdgeAgent.Cli.Probe;

/// <summary>
/// <c>eqiot agent probe modbus</c>: reads a table like mbpoll and prints it in mbpoll's style
/// (<c>[1]: 	7200</c>), or polls a profile's register map once per round and prints each mapped value with
/// what it means. Uses the agent's own transports (<see cref="ModbusTransportFactory"/>) and decoding
/// (<see cref="ModbusValueDecoder"/>, <see cref="ModbusPollPlan"/>).
/// </summary>
internal static class ModbusProbe
{
    public const string Help = """
          eqiot agent probe modbus --endpoint tcp://HOST:PORT|rtu:///dev/ttyX|rtu+tcp://HOST:PORT [-a|--unit 1]
                  [-t 0|1|3|4[:int|:float]] [-r FIRST (1-based) | --address FIRST (0-based)] [-c COUNT]
                  [--type uint16|int16|uint32|int32|float32] [--word-order big|little] [-o TIMEOUT_S]
                  [--baud 19200 --parity even --data-bits 8 --stop-bits 1] [-1 | -l INTERVAL_MS] [--profile NAME|FILE]
              read like mbpoll (-t 0 coils, 1 discrete inputs, 3 input registers, 4 holding registers; default 4,
              -r 1, -c 1; polls every second until Ctrl-C unless -1) and print "[ref]: value"; with --profile, read the
              profile's register map and print each value scaled, with its unit and state/flag meaning
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var request = Parse(args, out var line, out var options, out var profileReference);
        var profile = profileReference is null ? null
            : ProbeProfiles.Load(profileReference).Modbus ?? throw new ProbeUsageException($"profile '{profileReference}' has no modbus section");
        var endpoint = options.ParsedEndpoint();
        var factory = new ModbusTransportFactory((e, _, _) => ValueTask.FromResult<Stream>(SerialPort.Open(line.Settings(e.DevicePath))));
        await using var master = factory.Create(endpoint, options, TimeProvider.System);
        var unit = (byte)options.UnitId;
        Console.WriteLine($"-- Polling slave {unit} at {endpoint.Key}... {(request.Once ? "" : "Ctrl-C to stop")}");
        using var periodic = new PeriodicTimer(request.Interval);
        try
        {
            do
            {
                if (profile is null) await ReadTableAsync(master, unit, request, cancellationToken).ConfigureAwait(false);
                else await ReadProfileAsync(master, unit, profile, cancellationToken).ConfigureAwait(false);
            }
            while (!request.Once && await periodic.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C between polls.
        }
        catch (ModbusExceptionResponseException e)
        {
            await Console.Error.WriteLineAsync($"Error: unit {unit} answered exception {(byte)e.Code} ({ModbusExceptionCodes.Name(e.Code)}) to function {(byte)e.Function}").ConfigureAwait(false);
            return 1;
        }
        catch (ModbusCommunicationException e) when (e.IsTimeout)
        {
            await Console.Error.WriteLineAsync($"Error: no answer from unit {unit} at {endpoint.Key} within {options.Timeout.TotalSeconds} s").ConfigureAwait(false);
            return 1;
        }

        return 0;
    }

    private static ModbusTableRequest Parse(IReadOnlyList<string> args, out ProbeSerialLine line, out ModbusDeviceOptions options, out string? profile)
    {
        line = new ProbeSerialLine(19200, SerialParity.Even); // Modbus over serial line §2.5.1: even parity is the default
        options = new ModbusDeviceOptions { Retries = 0 };
        profile = null;
        var r = new ModbusTableRequest();
        var a = new ProbeArguments(args);
        while (a.Next())
        {
            if (line.TryRead(a)) continue;
            switch (a.Current)
            {
                case "-e" or "--endpoint": options.Endpoint = a.Value(); break;
                case "-a" or "--unit": options.UnitId = a.Int(1, 247); break;
                case "-t": r.SetTable(a.Value()); break;
                case "-r": r.Address = a.Int(1, 65536) - 1; r.OneBased = true; break;
                case "--address": r.Address = a.Int(0, 65535); r.OneBased = false; break;
                case "-c" or "--count": r.Count = a.Int(1, 2000); break;
                case "--type": r.Type = a.Choice("uint16", "int16", "uint32", "int32", "float32"); break;
                case "--word-order": r.WordOrder = a.Choice("big", "little"); break;
                case "-B": r.WordOrder = "big"; break;
                case "-o" or "--timeout": options.Timeout = a.Seconds(60); break;
                case "-1": r.Once = true; break;
                case "-l": r.Interval = TimeSpan.FromMilliseconds(a.Int(10, 3_600_000)); break;
                case "--profile": profile = a.Value(); break;
                default: throw a.Unknown();
            }
        }

        (options.BaudRate, options.DataBits, options.StopBits) = (line.Baud, line.DataBits, line.StopBits);
        options.Parity = line.Parity;
        if (options.Endpoint.Length == 0) throw new ProbeUsageException("say which device: --endpoint tcp://HOST:PORT, rtu:///dev/ttyX or rtu+tcp://HOST:PORT");
        if (!ModbusEndpoint.TryParse(options.Endpoint, out _, out var error)) throw new ProbeUsageException(error);
        r.Validate();
        return r;
    }

    private static async Task ReadTableAsync(ModbusMaster master, byte unit, ModbusTableRequest r, CancellationToken ct)
    {
        var points = r.Points();
        var width = points[0].Count;
        var quantity = (ushort)(r.Count * width);
        var start = (ushort)r.Address;
        ModbusValue[] values;
        if (r.Function is 1 or 2)
        {
            var bits = r.Function == 1
                ? await master.ReadCoilsAsync(unit, start, quantity, ct).ConfigureAwait(false)
                : await master.ReadDiscreteInputsAsync(unit, start, quantity, ct).ConfigureAwait(false);
            values = [.. points.Select(p => ModbusValueDecoder.FromBits(p, bits, start))];
        }
        else
        {
            var registers = r.Function == 3
                ? await master.ReadHoldingRegistersAsync(unit, start, quantity, ct).ConfigureAwait(false)
                : await master.ReadInputRegistersAsync(unit, start, quantity, ct).ConfigureAwait(false);
            values = [.. points.Select(p => ModbusValueDecoder.FromRegisters(p, registers, start, Protocols.Modbus.Registers.ModbusWordOrder.Big))];
        }

        for (var i = 0; i < points.Count; i++)
            Console.WriteLine($"[{points[i].Address + (r.OneBased ? 1 : 0)}]: \t{Format(r, values[i].Raw)}");
    }

    // As mbpoll prints: a plain 16-bit register above 32767 also as signed ("65535 (-1)"), floats as "%g".
    private static string Format(ModbusTableRequest r, double raw) => r.Type switch
    {
        "float32" => PrintfG(raw),
        null when r.Function is 3 or 4 && raw > short.MaxValue => $"{raw.ToString(CultureInfo.InvariantCulture)} ({unchecked((short)(ushort)raw).ToString(CultureInfo.InvariantCulture)})",
        _ => raw.ToString(CultureInfo.InvariantCulture),
    };

    // C's "%g", as mbpoll prints floats: 6 significant digits, exponent with a sign and at least two digits.
    internal static string PrintfG(double value)
    {
        var text = value.ToString("G6", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e < 0) return text;
        var exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return $"{text[..e]}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
    }

    private static async Task ReadProfileAsync(ModbusMaster master, byte unit, ModbusProfile profile, CancellationToken ct)
    {
        foreach (var block in ModbusPollPlan.Build(profile.Registers, profile.MaxGap))
        {
            IReadOnlyList<(ModbusRegisterMap Point, ModbusValue Value)> read;
            switch (block.Function)
            {
                case ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs:
                    var bits = block.Function == ModbusFunctionCode.ReadCoils
                        ? await master.ReadCoilsAsync(unit, block.Start, block.Count, ct).ConfigureAwait(false)
                        : await master.ReadDiscreteInputsAsync(unit, block.Start, block.Count, ct).ConfigureAwait(false);
                    read = [.. block.Points.Select(p => (p, ModbusValueDecoder.FromBits(p, bits, block.Start)))];
                    break;
                default:
                    var registers = block.Function == ModbusFunctionCode.ReadHoldingRegisters
                        ? await master.ReadHoldingRegistersAsync(unit, block.Start, block.Count, ct).ConfigureAwait(false)
                        : await master.ReadInputRegistersAsync(unit, block.Start, block.Count, ct).ConfigureAwait(false);
                    read = [.. block.Points.Select(p => (p, ModbusValueDecoder.FromRegisters(p, registers, block.Start, profile.DefaultWordOrder)))];
                    break;
            }

            foreach (var (point, value) in read) Console.WriteLine(ModbusProbeFormat.Describe(point, value));
        }
    }
}
