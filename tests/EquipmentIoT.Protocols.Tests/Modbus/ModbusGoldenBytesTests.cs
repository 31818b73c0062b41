using System.Buffers;
using EquipmentIoT.Protocols.Modbus;
using EquipmentIoT.Protocols.Modbus.Framing;
using EquipmentIoT.Protocols.Modbus.Pdu;

namespace EquipmentIoT.Protocols.Tests.Modbus;

/// <summary>
/// The request/response examples of Modbus Application Protocol V1.1b3 §6 (one per function code), the
/// exception example of §7, MBAP framing of the TCP/IP guide §3.1.3 and CRCs of known RTU frames.
/// </summary>
public class ModbusGoldenBytesTests
{
    public static TheoryData<string, string> SpecRequests => new()
    {
        { "0100130013", "FC01 §6.1: read coils 20-38" },
        { "0200C40016", "FC02 §6.2: read discrete inputs 197-218" },
        { "03006B0003", "FC03 §6.3: read registers 108-110" },
        { "0400080001", "FC04 §6.4: read input register 9" },
        { "0500ACFF00", "FC05 §6.5: write coil 173 ON" },
        { "0600010003", "FC06 §6.6: write register 2 = 3" },
        { "0F0013000A02CD01", "FC15 §6.11: write 10 coils from 20" },
        { "100001000204000A0102", "FC16 §6.12: write 2 registers from 2" },
    };

    public static TheoryData<string, string> SpecResponses => new()
    {
        { "0103CD6B05", "FC01 §6.1" },
        { "0203ACDB35", "FC02 §6.2" },
        { "0306022B00000064", "FC03 §6.3" },
        { "0402000A", "FC04 §6.4" },
        { "0500ACFF00", "FC05 §6.5" },
        { "0600010003", "FC06 §6.6" },
        { "0F0013000A", "FC15 §6.11" },
        { "1000010002", "FC16 §6.12" },
        { "8102", "exception §7: ILLEGAL DATA ADDRESS to FC01" },
    };

    [Theory]
    [MemberData(nameof(SpecRequests))]
    public void DecodeRequest_SpecExample_EncodesBackToSameBytes(string hex, string what)
    {
        var bytes = Convert.FromHexString(hex);
        var request = ModbusPdu.DecodeRequest(bytes);
        var writer = new ArrayBufferWriter<byte>();
        ModbusPdu.EncodeRequest(request, writer);
        Assert.True(hex == Convert.ToHexString(writer.WrittenSpan), what);
        Assert.Equal(bytes.Length, ModbusPdu.RequestLength(bytes));
    }

    [Theory]
    [MemberData(nameof(SpecResponses))]
    public void DecodeResponse_SpecExample_EncodesBackToSameBytes(string hex, string what)
    {
        var bytes = Convert.FromHexString(hex);
        var response = ModbusPdu.DecodeResponse(bytes);
        var writer = new ArrayBufferWriter<byte>();
        ModbusPdu.EncodeResponse(response, writer);
        Assert.True(hex == Convert.ToHexString(writer.WrittenSpan), what);
        Assert.Equal(bytes.Length, ModbusPdu.ResponseLength(bytes));
    }

    [Fact]
    public void DecodeRequest_Fc03SpecExample_HasAddressAndQuantity()
    {
        var request = ModbusPdu.DecodeRequest(Convert.FromHexString("03006B0003"));
        Assert.Equal(ModbusFunctionCode.ReadHoldingRegisters, request.Function);
        Assert.Equal(0x6B, request.Address); // §6.3: registers numbered 108-110 are addressed from 107 = 0x6B.
        Assert.Equal(3, request.Quantity);
    }

    [Fact]
    public void DecodeResponse_Fc03SpecExample_HasRegisterValues()
    {
        var response = ModbusPdu.DecodeResponse(Convert.FromHexString("0306022B00000064"));
        Assert.Equal(new ushort[] { 0x022B, 0x0000, 0x0064 }, response.Registers);
    }

    [Fact]
    public void DecodeResponse_Fc01SpecExample_BitsLsbFirst()
    {
        // §6.1: CD = coils 27..20 = 1100 1101; coil 20 is bit 0.
        var response = ModbusPdu.DecodeResponse(Convert.FromHexString("0103CD6B05"));
        Assert.Equal(24, response.Bits.Count);
        Assert.True(response.Bits[0]);
        Assert.False(response.Bits[1]);
        Assert.True(response.Bits[2]);
        Assert.True(response.Bits[7]);
        // 05 = coils 38..36 with 5 padding zeros.
        Assert.True(response.Bits[16]);
        Assert.False(response.Bits[17]);
        Assert.True(response.Bits[18]);
        Assert.False(response.Bits[19]);
    }

    [Fact]
    public void DecodeResponse_ExceptionSpecExample_HasFunctionAndCode()
    {
        var response = ModbusPdu.DecodeResponse(Convert.FromHexString("8102"));
        Assert.Equal(ModbusFunctionCode.ReadCoils, response.Function);
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, response.ExceptionCode);
        Assert.Equal("ILLEGAL DATA ADDRESS", ModbusExceptionCodes.Name(response.ExceptionCode!.Value));
    }

    [Theory]
    [InlineData(ModbusExceptionCode.IllegalFunction, "ILLEGAL FUNCTION")]
    [InlineData(ModbusExceptionCode.IllegalDataValue, "ILLEGAL DATA VALUE")]
    [InlineData(ModbusExceptionCode.ServerDeviceFailure, "SERVER DEVICE FAILURE")]
    [InlineData(ModbusExceptionCode.Acknowledge, "ACKNOWLEDGE")]
    [InlineData(ModbusExceptionCode.ServerDeviceBusy, "SERVER DEVICE BUSY")]
    [InlineData(ModbusExceptionCode.GatewayPathUnavailable, "GATEWAY PATH UNAVAILABLE")]
    [InlineData(ModbusExceptionCode.GatewayTargetDeviceFailedToRespond, "GATEWAY TARGET DEVICE FAILED TO RESPOND")]
    public void Name_ExceptionCode_SpecName(ModbusExceptionCode code, string name) => Assert.Equal(name, ModbusExceptionCodes.Name(code));

    [Theory]
    [InlineData("01030000000A", 0xCDC5)] // read 10 registers from unit 1: sent as ... C5 CD
    [InlineData("0207", 0x1241)] // Serial Line V1.02 §6.2.2 example: sent as 41 12
    public void Compute_KnownFrame_Crc(string hex, int crc)
    {
        Assert.Equal(crc, ModbusCrc.Compute(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Encode_RtuWriteSingleRegister_KnownFrame()
    {
        // Unit 1, FC06 register 0x10BC = 12345: 01 06 10 BC 30 39 98 FC (a frame widely published with its CRC).
        var pdu = new ArrayBufferWriter<byte>();
        ModbusPdu.EncodeRequest(ModbusRequest.WriteSingleRegister(0x10BC, 12345), pdu);
        var adu = new ArrayBufferWriter<byte>();
        ModbusRtuFraming.Encode(1, pdu.WrittenSpan, adu);
        Assert.Equal("010610BC303998FC", Convert.ToHexString(adu.WrittenSpan));
    }

    [Fact]
    public void TryDecode_RtuFrameWithCrc_AddressAndPdu()
    {
        var sequence = new ReadOnlySequence<byte>(Convert.FromHexString("01030000000AC5CD"));
        Assert.True(ModbusRtuFraming.TryDecode(ref sequence, ModbusFrameDirection.Request, out var frame));
        Assert.Equal(1, frame!.Address);
        Assert.Equal("030000000A", Convert.ToHexString(frame.Pdu));
        Assert.Equal(0, sequence.Length);
    }

    [Fact]
    public void TryDecode_RtuFrameBadCrc_ThrowsNamingCrcAndOffset()
    {
        var sequence = new ReadOnlySequence<byte>(Convert.FromHexString("01030000000AC5CE"));
        var e = Assert.Throws<ModbusProtocolException>(() => ModbusRtuFraming.TryDecode(ref sequence, ModbusFrameDirection.Request, out _));
        Assert.Contains("CRC at offset 6", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_MbapFc03_HeaderLayout()
    {
        // TCP/IP guide §3.1.3: transaction 0x1501, protocol 0, length 6 (unit + 5-byte PDU), unit 0xFF.
        var writer = new ArrayBufferWriter<byte>();
        ModbusTcpFraming.Encode(0x1501, 0xFF, Convert.FromHexString("03006B0003"), writer);
        Assert.Equal("150100000006FF03006B0003", Convert.ToHexString(writer.WrittenSpan));
    }

    [Fact]
    public void TryDecode_MbapInTwoSegments_OneFrameAndRestKept()
    {
        var bytes = Convert.FromHexString("000900000005110306022B0000");
        var partial = new ReadOnlySequence<byte>(bytes.AsMemory(0, 9));
        Assert.False(ModbusTcpFraming.TryDecode(ref partial, out _));
        Assert.Equal(9, partial.Length);
        var both = new ReadOnlySequence<byte>(Convert.FromHexString("000900000007110306022B0000FF"));
        Assert.True(ModbusTcpFraming.TryDecode(ref both, out var frame));
        Assert.Equal(9, frame!.TransactionId);
        Assert.Equal(0x11, frame.UnitId);
        Assert.Equal("0306022B0000", Convert.ToHexString(frame.Pdu));
        Assert.Equal(1, both.Length);
    }

    [Theory]
    [InlineData(50, 330_000, 770_000)]
    [InlineData(9600, 1719, 4010)]
    [InlineData(19200, 859, 2005)]
    [InlineData(38400, 750, 1750)]
    [InlineData(115200, 750, 1750)]
    public void FromBaudRate_SerialLineRules_T15AndT35(int baud, int t15Micros, int t35Micros)
    {
        var timing = ModbusRtuTiming.FromBaudRate(baud);
        Assert.InRange(timing.T15.TotalMicroseconds, t15Micros - 1, t15Micros + 1);
        Assert.InRange(timing.T35.TotalMicroseconds, t35Micros - 1, t35Micros + 1);
    }
}
