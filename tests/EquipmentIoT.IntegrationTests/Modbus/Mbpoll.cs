using System.Globalization;
using System.Text.RegularExpressions;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Modbus;

/// <summary>Debian's mbpoll (package mbpoll), a Modbus master command line, run once per call with 0-based addresses.</summary>
internal static partial class Mbpoll
{
    /// <summary>Runs mbpoll with <paramref name="arguments"/> plus -1 (poll once) and -0 (PDU addressing); returns its stdout lines.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(IEnumerable<string> arguments)
    {
        var exe = ExternalTool.Require("mbpoll", "mbpoll");
        await using var process = ChildProcess.Start(exe, ["-1", "-0", .. arguments]);
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        if (exit != 0) throw new InvalidOperationException($"'{process.Description}' exited {exit}: {string.Join('\n', process.StdoutLines)}\n{process.StderrTail()}");
        return process.StdoutLines;
    }

    /// <summary>Reads <paramref name="count"/> values of <paramref name="table"/> (-t 0/1/3/4) at <paramref name="address"/> over TCP.</summary>
    public static async Task<long[]> ReadTcpAsync(int port, string table, int address, int count, int unit = 1)
    {
        var lines = await RunAsync(["-m", "tcp", "-p", Invariant(port), "-a", Invariant(unit), "-t", table, "-r", Invariant(address), "-c", Invariant(count), "127.0.0.1"]);
        return Values(lines);
    }

    /// <summary>The values of "[address]: value" lines, in order.</summary>
    public static long[] Values(IEnumerable<string> lines) =>
        [.. lines.Select(l => ValueLine().Match(l)).Where(m => m.Success).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\[\d+\]:\s+(-?\d+)")]
    private static partial Regex ValueLine();
}
