using System.Buffers;
using EquipmentIoT.Protocols.Modbus;
using EquipmentIoT.Protocols.Modbus.Framing;
using EquipmentIoT.Protocols.Modbus.Pdu;
using Xunit.Abstractions;

namespace EquipmentIoT.Protocols.Tests.Modbus;

/// <summary>
/// Seeded fuzz of the TCP (MBAP) and RTU decoders: random bytes and mutated valid frames. The only exception
/// allowed is <see cref="ModbusProtocolException"/>; every loop is bounded by the input's length.
/// </summary>
public class ModbusDecoderFuzzTests(ITestOutputHelper output)
{
    private const int Inputs = 30_000;

    [Theory]
    [InlineData(20261202)]
    [InlineData(7)]
    public void TcpDecoder_RandomAndMutatedFrames_OnlyProtocolErrors(int seed)
    {
        var random = new Random(seed);
        int frames = 0, errors = 0, incomplete = 0;
        for (var i = 0; i < Inputs; i++)
        {
            var input = Input(random, tcp: true);
            var sequence = new ReadOnlySequence<byte>(input);
            try
            {
                for (var guard = 0; guard <= input.Length; guard++)
                {
                    if (!ModbusTcpFraming.TryDecode(ref sequence, out var frame))
                    {
                        incomplete++;
                        break;
                    }

                    frames++;
                    Assert.InRange(frame!.Pdu.Length, 1, ModbusLimits.MaxPduLength);
                    DecodeBoth(frame.Pdu, ref errors);
                }
            }
            catch (ModbusProtocolException)
            {
                errors++;
            }
        }

        output.WriteLine($"seed {seed}: {frames} frames, {errors} protocol errors, {incomplete} incomplete");
        Assert.True(frames > 5_000 && errors > 5_000 && incomplete > 1_000, $"{frames} {errors} {incomplete}");
    }

    [Theory]
    [InlineData(20261202)]
    [InlineData(11)]
    public void RtuDecoder_RandomAndMutatedFrames_OnlyProtocolErrorsAndResyncTerminates(int seed)
    {
        var random = new Random(seed);
        int frames = 0, errors = 0;
        // Fewer inputs than TCP: resynchronising through noise byte by byte throws once per byte.
        for (var i = 0; i < Inputs / 3; i++)
        {
            var input = Input(random, tcp: false);
            var direction = random.Next(2) == 0 ? ModbusFrameDirection.Request : ModbusFrameDirection.Response;
            var sequence = new ReadOnlySequence<byte>(input);
            // As the masters and the server do: on an error skip one byte and look again.
            for (var guard = 0; guard <= input.Length && sequence.Length > 0; guard++)
            {
                try
                {
                    if (!ModbusRtuFraming.TryDecode(ref sequence, direction, out var frame)) break;
                    frames++;
                    DecodeBoth(frame!.Pdu, ref errors);
                }
                catch (ModbusProtocolException)
                {
                    errors++;
                    sequence = sequence.Slice(1);
                }
            }
        }

        output.WriteLine($"seed {seed}: {frames} frames, {errors} protocol errors");
        Assert.True(frames > 2_000 && errors > 2_000, $"{frames} {errors}");
    }

    private static void DecodeBoth(byte[] pdu, ref int errors)
    {
        try
        {
            ModbusPdu.DecodeRequest(pdu);
        }
        catch (ModbusProtocolException)
        {
            errors++;
        }

        try
        {
            ModbusPdu.DecodeResponse(pdu);
        }
        catch (ModbusProtocolException)
        {
            errors++;
        }
    }

    private static byte[] Input(Random random, bool tcp)
    {
        if (random.Next(5) == 0)
        {
            var noise = new byte[random.Next(0, 300)];
            random.NextBytes(noise);
            return noise;
        }

        var pdu = ValidPdu(random);
        var writer = new ArrayBufferWriter<byte>();
        if (tcp) ModbusTcpFraming.Encode((ushort)random.Next(65536), (byte)random.Next(256), pdu, writer);
        else ModbusRtuFraming.Encode((byte)random.Next(248), pdu, writer);
        var bytes = writer.WrittenSpan.ToArray();
        return random.Next(4) switch
        {
            0 => bytes,
            1 => bytes[..random.Next(bytes.Length)],
            2 => Flip(random, bytes),
            _ => [.. bytes, .. bytes.AsSpan(0, random.Next(bytes.Length))],
        };
    }

    private static byte[] Flip(Random random, byte[] bytes)
    {
        for (var n = random.Next(1, 4); n > 0; n--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
        return bytes;
    }

    private static byte[] ValidPdu(Random random)
    {
        var writer = new ArrayBufferWriter<byte>();
        var address = (ushort)random.Next(0, 1000);
        if (random.Next(2) == 0)
        {
            var request = random.Next(8) switch
            {
                0 => ModbusRequest.ReadCoils(address, (ushort)random.Next(1, 2001)),
                1 => ModbusRequest.ReadDiscreteInputs(address, (ushort)random.Next(1, 2001)),
                2 => ModbusRequest.ReadHoldingRegisters(address, (ushort)random.Next(1, 126)),
                3 => ModbusRequest.ReadInputRegisters(address, (ushort)random.Next(1, 126)),
                4 => ModbusRequest.WriteSingleCoil(address, random.Next(2) == 0),
                5 => ModbusRequest.WriteSingleRegister(address, (ushort)random.Next(65536)),
                6 => ModbusRequest.WriteMultipleCoils(address, Enumerable.Range(0, random.Next(1, 1969)).Select(_ => random.Next(2) == 0).ToArray()),
                _ => ModbusRequest.WriteMultipleRegisters(address, Enumerable.Range(0, random.Next(1, 124)).Select(_ => (ushort)random.Next(65536)).ToArray()),
            };
            ModbusPdu.EncodeRequest(request, writer);
        }
        else
        {
            var response = random.Next(5) switch
            {
                0 => ModbusResponse.ReadBits(ModbusFunctionCode.ReadCoils, Enumerable.Range(0, random.Next(1, 2001)).Select(_ => random.Next(2) == 0).ToArray()),
                1 => ModbusResponse.ReadRegisters(ModbusFunctionCode.ReadInputRegisters, Enumerable.Range(0, random.Next(1, 126)).Select(_ => (ushort)random.Next(65536)).ToArray()),
                2 => ModbusResponse.WriteMultiple(ModbusFunctionCode.WriteMultipleRegisters, address, (ushort)random.Next(1, 124)),
                3 => ModbusResponse.WriteSingleCoil(address, true),
                _ => ModbusResponse.Exception(ModbusFunctionCode.ReadHoldingRegisters, (ModbusExceptionCode)random.Next(1, 12)),
            };
            ModbusPdu.EncodeResponse(response, writer);
        }

        return writer.WrittenSpan.ToArray();
    }
}
