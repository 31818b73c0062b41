using System.Buffers;
using EquipmentIoT.Protocols.Modbus;
using EquipmentIoT.Protocols.Modbus.Framing;
using EquipmentIoT.Protocols.Modbus.Pdu;

namespace EquipmentIoT.Protocols.Tests.Modbus;

/// <summary>Quantity limits of §6 and length limits of the framings, on encode (our bug) and decode (the peer's).</summary>
public class ModbusLimitsTests
{
    [Theory]
    [InlineData(ModbusFunctionCode.ReadCoils, 2000)]
    [InlineData(ModbusFunctionCode.ReadDiscreteInputs, 2000)]
    [InlineData(ModbusFunctionCode.ReadHoldingRegisters, 125)]
    [InlineData(ModbusFunctionCode.ReadInputRegisters, 125)]
    public void Read_AtAndPastLimit_AcceptsThenThrows(ModbusFunctionCode function, int max)
    {
        Assert.Equal(max, ModbusRequest.Read(function, 0, (ushort)max).Quantity);
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusRequest.Read(function, 0, (ushort)(max + 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusRequest.Read(function, 0, 0));
    }

    [Fact]
    public void WriteMultiple_PastLimits_Throws()
    {
        Assert.Equal(1968, ModbusRequest.WriteMultipleCoils(0, new bool[1968]).Quantity);
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusRequest.WriteMultipleCoils(0, new bool[1969]));
        Assert.Equal(123, ModbusRequest.WriteMultipleRegisters(0, new ushort[123]).Quantity);
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusRequest.WriteMultipleRegisters(0, new ushort[124]));
    }

    [Fact]
    public void Read_AddressPlusQuantityPast65535_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusRequest.ReadHoldingRegisters(65500, 100));

    [Theory]
    [InlineData("03000000", "PDU", ModbusExceptionCode.IllegalDataValue)] // too short
    [InlineData("030000007E", "quantity at offset 3", ModbusExceptionCode.IllegalDataValue)] // 126 registers
    [InlineData("01000007D1", "quantity at offset 3", ModbusExceptionCode.IllegalDataValue)] // 2001 bits
    [InlineData("03FFFF0002", "starting address at offset 1", ModbusExceptionCode.IllegalDataAddress)]
    [InlineData("0500011234", "output value at offset 3", ModbusExceptionCode.IllegalDataValue)]
    [InlineData("0F000007B1F7", "quantity at offset 3", ModbusExceptionCode.IllegalDataValue)] // 1969 coils
    [InlineData("100000000203000A01", "byte count at offset 5", ModbusExceptionCode.IllegalDataValue)]
    [InlineData("1000000002040001", "PDU length", ModbusExceptionCode.IllegalDataValue)] // data missing
    [InlineData("2B0E0100", "function code at offset 0", ModbusExceptionCode.IllegalFunction)]
    public void DecodeRequest_Malformed_NamesFieldAndReplyCode(string hex, string field, ModbusExceptionCode reply)
    {
        var e = Assert.Throws<ModbusProtocolException>(() => ModbusPdu.DecodeRequest(Convert.FromHexString(hex)));
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
        Assert.Equal(reply, e.ReplyCode);
    }

    [Theory]
    [InlineData("0307022B00000064", "byte count at offset 1")] // odd byte count for registers
    [InlineData("0306022B0000", "PDU length")] // fewer bytes than the count says
    [InlineData("0300", "byte count at offset 1")]
    [InlineData("03FC" , "byte count at offset 1")] // 252 > 250
    [InlineData("81", "PDU length")]
    [InlineData("0500AC1234", "output value at offset 3")]
    [InlineData("100001007C", "quantity at offset 3")] // echo of 124 registers
    [InlineData("07", "function code at offset 0")]
    public void DecodeResponse_Malformed_NamesField(string hex, string field)
    {
        var e = Assert.Throws<ModbusProtocolException>(() => ModbusPdu.DecodeResponse(Convert.FromHexString(hex)));
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0001000000FF01", "length at offset 4")] // 255: more than 1 + 253
    [InlineData("00010000FFFF01", "length at offset 4")] // huge: refused before any allocation
    [InlineData("00010000000101", "length at offset 4")] // 1: no function code
    [InlineData("00010001000601", "protocol identifier at offset 2")]
    public void TryDecode_MbapBadHeader_ThrowsBeforeWaitingForBody(string hex, string field)
    {
        var sequence = new ReadOnlySequence<byte>(Convert.FromHexString(hex));
        var e = Assert.Throws<ModbusProtocolException>(() => ModbusTcpFraming.TryDecode(ref sequence, out _));
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_RtuUnknownFunction_Throws()
    {
        var sequence = new ReadOnlySequence<byte>(Convert.FromHexString("01410000"));
        var e = Assert.Throws<ModbusProtocolException>(() => ModbusRtuFraming.TryDecode(ref sequence, ModbusFrameDirection.Response, out _));
        Assert.Contains("function code at offset 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_RtuFc16RequestClaimingLongBody_IncompleteNotAllocated()
    {
        // 01 10 0000 007B F6: a full-size FC16 request header; 6 + 246 + 3 = 255 bytes expected, only 7 here.
        var sequence = new ReadOnlySequence<byte>(Convert.FromHexString("01100000007BF6"));
        Assert.False(ModbusRtuFraming.TryDecode(ref sequence, ModbusFrameDirection.Request, out _));
        Assert.Equal(255, ModbusRtuFraming.FrameLength(Convert.FromHexString("01100000007BF6"), ModbusFrameDirection.Request));
    }

    [Fact]
    public void EncodeRequest_MaximumFc16_FitsTcpAndRtuAdu()
    {
        var pdu = new ArrayBufferWriter<byte>();
        ModbusPdu.EncodeRequest(ModbusRequest.WriteMultipleRegisters(0, new ushort[123]), pdu);
        Assert.Equal(252, pdu.WrittenCount);
        var rtu = new ArrayBufferWriter<byte>();
        ModbusRtuFraming.Encode(247, pdu.WrittenSpan, rtu);
        Assert.True(rtu.WrittenCount <= ModbusLimits.MaxRtuAduLength);
        var tcp = new ArrayBufferWriter<byte>();
        ModbusTcpFraming.Encode(1, 1, pdu.WrittenSpan, tcp);
        Assert.True(tcp.WrittenCount <= ModbusLimits.MaxTcpAduLength);
    }

    [Fact]
    public void RoundTrip_EveryFunctionAtLimits_SameValues()
    {
        var random = new Random(5);
        var coils = Enumerable.Range(0, 1968).Select(_ => random.Next(2) == 1).ToArray();
        var registers = Enumerable.Range(0, 123).Select(_ => (ushort)random.Next(65536)).ToArray();
        foreach (var request in new[]
        {
            ModbusRequest.WriteMultipleCoils(65535 - 1967, coils),
            ModbusRequest.WriteMultipleRegisters(100, registers),
            ModbusRequest.WriteSingleCoil(65535, false),
            ModbusRequest.ReadCoils(0, 2000),
        })
        {
            var writer = new ArrayBufferWriter<byte>();
            ModbusPdu.EncodeRequest(request, writer);
            var back = ModbusPdu.DecodeRequest(writer.WrittenSpan);
            Assert.Equal(request.Function, back.Function);
            Assert.Equal(request.Address, back.Address);
            Assert.Equal(request.Quantity, back.Quantity);
            Assert.Equal(request.Coils, back.Coils);
            Assert.Equal(request.Registers, back.Registers);
        }

        var response = ModbusResponse.ReadBits(ModbusFunctionCode.ReadDiscreteInputs, coils.Take(2000 - 32).ToArray());
        var w = new ArrayBufferWriter<byte>();
        ModbusPdu.EncodeResponse(response, w);
        var decoded = ModbusPdu.DecodeResponse(w.WrittenSpan);
        Assert.Equal(response.Bits, decoded.Bits.Take(response.Bits.Count));
    }
}
