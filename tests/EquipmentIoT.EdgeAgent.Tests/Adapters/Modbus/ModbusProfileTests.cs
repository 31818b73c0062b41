using EquipmentIoT.EdgeAgent.Adapters.Modbus;
using EquipmentIoT.EdgeAgent.Profiles;
using EquipmentIoT.Protocols.Modbus.Registers;

namespace EquipmentIoT.EdgeAgent.Tests.Adapters.Modbus;

public class ModbusProfileTests
{
    internal const string Example = """
        profile: mr-helium-test
        kind: mr
        modbus:
          pollInterval: 00:00:01
          wordOrder: big
          maxGap: 8
          registers:
            - name: helium_level
              function: 4
              address: 0
              type: uint16
              scale: 0.1
              unit: "%"
            - name: cold_head_temp
              function: 4
              address: 2
              type: float32
              wordOrder: little
              unit: K
            - name: compressor
              function: 3
              address: 10
              kind: state
              states: { 0: idle, 1: building, 2: paused, 3: fault }
            - name: alarms
              function: 3
              address: 11
              kind: flags
              flags:
                0: { code: COMP_OFF, text: "compressor off", severity: critical }
                3: { code: CHILLER_FLOW, text: "chiller water flow low", severity: major }
            - name: recoater_passes
              function: 3
              address: 12
              type: uint32
              kind: counter
              event: x-acme.recoater
            - name: door_open
              function: 2
              address: 5
        """;

    [Fact]
    public void Parse_BriefExample_AllFieldsRead()
    {
        var result = ProfileLoader.Parse("test.yaml", Example);
        Assert.True(result.Success, string.Join('\n', result.Describe()));
        var modbus = result.Profile!.Modbus!;
        Assert.Equal(TimeSpan.FromSeconds(1), modbus.PollInterval);
        Assert.Equal(ModbusWordOrder.Big, modbus.DefaultWordOrder);
        Assert.Equal(6, modbus.Registers.Count);
        var helium = modbus.Registers[0];
        Assert.Equal((ModbusValueType.UInt16, 0.1, "%", 8), (helium.ValueType, helium.Scale, helium.Unit, helium.Line));
        Assert.Equal(ModbusWordOrder.Little, modbus.Registers[1].WordOrderOr(ModbusWordOrder.Big));
        Assert.Equal(2, modbus.Registers[1].Count);
        Assert.Equal("paused", modbus.Registers[2].States![2]);
        Assert.Equal(ModbusValueKind.Flags, modbus.Registers[3].ValueKind);
        Assert.Equal("CHILLER_FLOW", modbus.Registers[3].Flags![3].Code);
        Assert.Equal("x-acme.recoater", modbus.Registers[4].Event);
        Assert.Equal(ModbusValueType.Bool, modbus.Registers[5].ValueType);
    }

    [Fact]
    public void Parse_BadRegisters_EachErrorOnItsLine()
    {
        const string yaml = """
            profile: p
            kind: ct
            modbus:
              pollInterval: 00:00:00.001
              wordOrder: middle
              registers:
                - { name: a, function: 4, address: 70000 }
                - { name: b, function: 1, address: 0, type: float32 }
                - { name: a, function: 3, address: 1 }
                - { name: c, function: 3, address: 65535, type: int32 }
                - { name: d, function: 3, address: 0, kind: state }
                - { name: e, function: 3, address: 0, kind: gauge }
                - { name: f, function: 3, address: 0, event: build.layer }
                - name: g
                  function: 3
                  address: 0
                  kind: flags
                  flags:
                    16: { code: X, severity: critical }
                    2: { code: "", severity: bad }
                - { name: h, function: 5, address: 0 }
                - { name: i, function: 3, address: 0, type: bool }
            """;
        var result = ProfileLoader.Parse("test.yaml", yaml);
        Assert.False(result.Success);
        var errors = result.Describe().ToList();
        void Has(int line, string text) => Assert.True(errors.Any(e => e.StartsWith($"test.yaml:{line}:", StringComparison.Ordinal) && e.Contains(text, StringComparison.Ordinal)),
            $"no error at line {line} containing '{text}' in:\n{string.Join('\n', errors)}");
        // The section's own errors are at its first key's line.
        Has(4, "'pollInterval'");
        Has(4, "'wordOrder' 'middle'");
        Has(7, "'address' 70000");
        Has(8, "'type' must be bool");
        Has(9, "register name 'a' is already used on line 7");
        Has(10, "past 65535");
        Has(11, "needs 'states'");
        Has(12, "'kind' 'gauge'");
        Has(13, "'event' needs kind: counter");
        Has(19, "flag bit 16 must be between 0 and 15");
        Has(20, "'code' is required");
        Has(20, "'severity' 'bad'");
        Has(21, "'function' 5");
        Has(22, "'type' bool needs function 1 or 2");
    }

    [Fact]
    public void Parse_UnknownKey_RefusedWithLine()
    {
        const string yaml = """
            profile: p
            kind: ct
            modbus:
              registers:
                - name: a
                  function: 4
                  adress: 3
            """;
        var result = ProfileLoader.Parse("test.yaml", yaml);
        Assert.False(result.Success);
        Assert.StartsWith("test.yaml:7:", result.Describe().Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoRegisters_Error()
    {
        var result = ProfileLoader.Parse("test.yaml", "profile: p\nkind: ct\nmodbus:\n  maxGap: 3\n");
        Assert.Contains(result.Describe(), e => e.Contains("'registers' needs at least one register", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_Flags32BitRegister_Bit31Allowed()
    {
        const string yaml = """
            profile: p
            kind: am-printer
            modbus:
              registers:
                - name: faults
                  function: 4
                  address: 0
                  type: uint32
                  kind: flags
                  flags: { 31: { code: LASER, severity: major } }
            """;
        var result = ProfileLoader.Parse("test.yaml", yaml);
        Assert.True(result.Success, string.Join('\n', result.Describe()));
    }
}
