using EquipmentIoT.Simulators.Models;

namespace EquipmentIoT.Simulators.Outputs;

/// <summary>
/// Where the simulated equipment puts its values in Modbus registers. The device profiles
/// (edge-agent/profiles/mr-helium-monitor.yaml, am-printer-pbf.yaml) read exactly this layout; a change here is
/// a change there. Addresses are 0-based protocol addresses (30001 = input register 0, 40001 = holding 0).
/// </summary>
public static class RegisterMaps
{
    /// <summary>Input registers (function 4) of the MR helium and cooling monitor.</summary>
    public const int MrInputRegisterCount = 12;

    /// <summary>Holding registers (function 3) of the printer.</summary>
    public const int PrinterHoldingRegisterCount = 12;

    /// <summary>Discrete inputs (function 2) of the printer: 0 chamber door locked, 1 laser emission.</summary>
    public const int PrinterDiscreteInputCount = 2;

    /// <summary>
    /// MR input registers:
    /// 0 helium level (uint16, 0.01 %) · 1 helium pressure (uint16, 0.001 psi) · 2 compressor state (0 off, 1 running, 2 fault)
    /// · 3 cold head (uint16, 0.01 K) · 4-5 chiller water (float32 °C, high word first) · 6 chiller flow (uint16, 0.1 l/min)
    /// · 7 room temperature (int16, 0.01 °C) · 8 room humidity (uint16, 0.1 %) · 9 alarm bits (<see cref="MrAlarms"/>)
    /// · 10-11 compressor run hours (uint32, LOW word first, as many controllers do).
    /// </summary>
    public static void Write(MrSnapshot s, Span<ushort> input)
    {
        input[0] = U16(s.HeliumLevelPercent * 100);
        input[1] = U16(s.HeliumPressurePsi * 1000);
        input[2] = (ushort)s.Compressor;
        input[3] = U16(s.ColdHeadKelvin * 100);
        WriteFloatHighFirst(input[4..6], (float)s.ChillerWaterCelsius);
        input[6] = U16(s.ChillerFlowLitresPerMinute * 10);
        input[7] = unchecked((ushort)I16(s.RoomCelsius * 100));
        input[8] = U16(s.RoomHumidityPercent * 10);
        input[9] = (ushort)s.Alarms;
        input[10] = (ushort)(s.CompressorHours & 0xFFFF);
        input[11] = (ushort)(s.CompressorHours >> 16);
    }

    /// <summary>
    /// Printer holding registers:
    /// 0-1 job id (uint32, high word first) · 2 layers planned · 3 current layer · 4 state (<see cref="PrinterState"/>)
    /// · 5 chamber O2 (uint16, ppm, saturating at 65535) · 6 chamber temperature (int16, 0.1 °C) · 7 build plate (int16, 0.1 °C)
    /// · 8-9 laser power (float32 W, high word first) · 10 recoater passes (uint16, wraps) · 11 alarm bits (<see cref="PrinterAlarms"/>).
    /// Discrete inputs: 0 chamber door locked, 1 laser emission.
    /// </summary>
    public static void Write(PrinterSnapshot s, Span<ushort> holding, Span<bool> discrete)
    {
        holding[0] = (ushort)(s.JobId >> 16);
        holding[1] = (ushort)(s.JobId & 0xFFFF);
        holding[2] = (ushort)Math.Clamp(s.LayersPlanned, 0, ushort.MaxValue);
        holding[3] = (ushort)Math.Clamp(s.CurrentLayer, 0, ushort.MaxValue);
        holding[4] = (ushort)s.State;
        holding[5] = U16(s.OxygenPpm);
        holding[6] = unchecked((ushort)I16(s.ChamberCelsius * 10));
        holding[7] = unchecked((ushort)I16(s.PlateCelsius * 10));
        WriteFloatHighFirst(holding[8..10], (float)s.LaserWatts);
        holding[10] = unchecked((ushort)s.RecoaterPasses);
        holding[11] = (ushort)s.Alarms;
        discrete[0] = s.State is PrinterState.Preparing or PrinterState.Building or PrinterState.Paused;
        discrete[1] = s.LaserWatts > 0;
    }

    private static void WriteFloatHighFirst(Span<ushort> two, float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        two[0] = (ushort)(bits >> 16);
        two[1] = (ushort)(bits & 0xFFFF);
    }

    private static ushort U16(double value) => (ushort)Math.Clamp(Math.Round(value), 0, ushort.MaxValue);

    private static short I16(double value) => (short)Math.Clamp(Math.Round(value), short.MinValue, short.MaxValue);
}
