using EquipmentIoT.EdgeAgent.Adapters.Modbus;
using EquipmentIoT.EdgeAgent.Tests.Collection;
using EquipmentIoT.Protocols.Modbus.Registers;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Tests.Adapters.Modbus;

public class ModbusSignalTrackerTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 12, 2, 3, 0);

    [Theory]
    [InlineData("big", 0x42F6, 0xE979)]
    [InlineData("little", 0xE979, 0x42F6)]
    public void FromRegisters_Float32WordOrder_Value(string order, int first, int second)
    {
        var point = new ModbusRegisterMap { Name = "t", Function = 4, Address = 6, Type = "float32", WordOrder = order };
        var value = ModbusValueDecoder.FromRegisters(point, [0, 0, 0, 0, 0, 0, (ushort)first, (ushort)second], 0, ModbusWordOrder.Big);
        Assert.Equal(123.456, value.Scaled, 3);
    }

    [Fact]
    public void FromRegisters_Int16ScaleOffset_Applied()
    {
        var point = new ModbusRegisterMap { Name = "t", Function = 3, Address = 11, Type = "int16", Scale = 0.1, Offset = -5 };
        var value = ModbusValueDecoder.FromRegisters(point, [0, 0xFF9C], 10, ModbusWordOrder.Big); // -100
        Assert.Equal(-100, value.Raw);
        Assert.Equal(-15, value.Scaled, 9);
    }

    [Fact]
    public void Apply_StateChanges_EventsWithPrevious()
    {
        var point = new ModbusRegisterMap { Name = "printer", Function = 3, Kind = "state", States = new() { [0] = "idle", [1] = "building" } };
        var sink = new RecordingSink();
        var tracker = new ModbusSignalTracker("am-01");
        tracker.Apply(point, new ModbusValue(0, 0, 0), Now, sink);
        tracker.Apply(point, new ModbusValue(0, 0, 0), Now, sink);
        tracker.Apply(point, new ModbusValue(1, 1, 1), Now, sink);
        tracker.Apply(point, new ModbusValue(7, 7, 7), Now, sink);
        Assert.Equal(3, sink.Events.Count);
        Assert.All(sink.Events, e => Assert.Equal(EventTypes.State, e.Type));
        Assert.False(sink.Events[0].Data.ContainsKey("previous"));
        Assert.Equal("idle", sink.Events[0].Data["state"].ToString());
        Assert.Equal(("building", "idle"), (sink.Events[1].Data["state"].ToString(), sink.Events[1].Data["previous"].ToString()));
        Assert.Equal("unknown(7)", sink.Events[2].Data["state"].ToString());
        Assert.Equal("printer", sink.Events[2].Data["machine"].ToString());
    }

    [Fact]
    public void Apply_FlagBits_ActiveOnFirstPollThenChangesOnly()
    {
        var point = new ModbusRegisterMap
        {
            Name = "alarms", Function = 3, Kind = "flags",
            Flags = new()
            {
                [0] = new ModbusFlagMap { Code = "COMP_OFF", Text = "compressor off", Severity = "critical" },
                [3] = new ModbusFlagMap { Code = "CHILLER_FLOW", Severity = "major" },
            },
        };
        var sink = new RecordingSink();
        var tracker = new ModbusSignalTracker("mr-01");
        tracker.Apply(point, new ModbusValue(1, 0b0001, 1), Now, sink); // COMP_OFF raised
        tracker.Apply(point, new ModbusValue(1, 0b0001, 1), Now, sink); // nothing
        tracker.Apply(point, new ModbusValue(8, 0b1000, 8), Now, sink); // COMP_OFF cleared, CHILLER_FLOW raised
        tracker.Apply(point, new ModbusValue(12, 0b1100, 12), Now, sink); // bit 2 is not mapped: nothing
        var faults = sink.Events.Select(e => (e.Data["code"].ToString(), e.Data["active"].ToString())).ToList();
        Assert.Equal([("COMP_OFF", "true"), ("COMP_OFF", "false"), ("CHILLER_FLOW", "true")], faults);
        Assert.Equal("critical", sink.Events[0].Data["severity"].ToString());
        Assert.Equal("compressor off", sink.Events[0].Data["text"].ToString());
    }

    [Fact]
    public void Apply_Counter_MetricAndOneEventPerIncrement_NoneOnReset()
    {
        var point = new ModbusRegisterMap { Name = "layers", Function = 3, Type = "uint32", Kind = "counter", Event = EventTypes.BuildLayer };
        var sink = new RecordingSink();
        var tracker = new ModbusSignalTracker("am-01");
        tracker.Apply(point, new ModbusValue(10, 10, 10), Now, sink);
        tracker.Apply(point, new ModbusValue(13, 13, 13), Now, sink);
        tracker.Apply(point, new ModbusValue(0, 0, 0), Now, sink); // reset: a new build
        tracker.Apply(point, new ModbusValue(1, 1, 1), Now, sink);
        Assert.Equal(4, sink.Metrics.Count);
        Assert.Equal(["11", "12", "13", "1"], sink.Events.Select(e => e.Data["count"].ToString()));
        Assert.All(sink.Events, e => Assert.Equal(EventTypes.BuildLayer, e.Type));
        Assert.Equal(1, tracker.CounterDiscontinuities);
    }
}
