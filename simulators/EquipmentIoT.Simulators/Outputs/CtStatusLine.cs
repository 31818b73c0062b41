using System.Globalization;
using System.Text;
using EquipmentIoT.Simulators.Models;

namespace EquipmentIoT.Simulators.Outputs;

/// <summary>
/// The CT's once-a-second status line on its service serial port (9600 8N1, CR LF), which the profile
/// edge-agent/profiles/ct-serial-mpps.yaml parses:
/// <c>STAT state=READY heat=12.5 oil=36.1 kv=0 ma=0 gantry=24.3 fault=0</c>.
/// </summary>
public static class CtStatusLine
{
    /// <summary>The line for <paramref name="s"/>, with its CR LF.</summary>
    public static string Format(CtSnapshot s) => string.Create(CultureInfo.InvariantCulture,
        $"STAT state={State(s.State)} heat={s.TubeHeatPercent:0.0} oil={s.TubeOilTemperature:0.0} kv={s.KiloVolts:0} ma={s.MilliAmperes:0} gantry={s.GantryTemperature:0.0} fault={s.FaultCode}\r\n");

    /// <summary>
    /// A burst of what a bad cable or a confused device sends, for the garbage scenario: random bytes, a line
    /// cut short, a line far over any sane length, a line in the wrong encoding (GB18030 bytes that are not UTF-8
    /// nor ASCII), control characters.
    /// </summary>
    public static byte[] Garbage(Noise noise)
    {
        var output = new List<byte>();
        var random = new byte[noise.Next(8, 64)];
        noise.Bytes(random);
        output.AddRange(random);
        output.AddRange("\r\n"u8.ToArray());
        output.AddRange(Encoding.ASCII.GetBytes("STAT state=REA"));
        output.AddRange("\r\n"u8.ToArray());
        output.AddRange(Encoding.ASCII.GetBytes("STAT " + new string('x', 4000)));
        output.AddRange("\r\n"u8.ToArray());
        output.AddRange([0x53, 0x54, 0x41, 0x54, 0x20, 0xD5, 0xFD, 0xB3, 0xA3, 0x0D, 0x0A]); // "STAT 正常" in GB18030
        output.AddRange([0x00, 0x07, 0x1B, 0x5B, 0x32, 0x4A, 0x0D, 0x0A]);
        return [.. output];
    }

    private static string State(CtState state) => state switch
    {
        CtState.Ready => "READY",
        CtState.Scanning => "SCANNING",
        CtState.Warmup => "WARMUP",
        CtState.Error => "ERROR",
        _ => "UNKNOWN",
    };
}
