using System.Globalization;
using System.Text;

namespace EquipmentIoT.Bench.Serial;

/// <summary>
/// The CT's status line in the simulator's format (simulators/…/Outputs/CtStatusLine.cs, parsed by the
/// ct-serial-mpps profile), with values that move from line to line so states change now and then.
/// </summary>
internal static class StatusLines
{
    private static readonly string[] States = ["READY", "SCANNING", "READY", "WARMUP"];

    /// <summary>Line <paramref name="n"/> (0-based), CR LF included, as ASCII bytes.</summary>
    public static byte[] Line(long n)
    {
        var scanning = n / 50 % States.Length;
        var heat = 10 + n % 800 / 10.0;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"STAT state={States[scanning]} heat={heat:0.0} oil={30 + n % 100 / 10.0:0.0} kv={(scanning == 1 ? 120 : 0)} ma={(scanning == 1 ? 300 : 0)} gantry={24 + n % 37 / 10.0:0.0} fault=0\r\n");
        return Encoding.ASCII.GetBytes(text);
    }
}
