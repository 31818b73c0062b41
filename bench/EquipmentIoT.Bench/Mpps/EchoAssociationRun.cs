using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using EquipmentIoT.Protocols.Dicom;
using EquipmentIoT.Protocols.Dicom.Association;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Bench.Mpps;

/// <summary>
/// The reference: C-ECHO associations (connect, C-ECHO, release) one after another, by dcmtk's echoscu — a
/// process per association, since its --repeat repeats the C-ECHO inside one association — and by our DicomClient.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class EchoAssociationRun
{
    /// <summary>Seconds for <paramref name="count"/> echoscu runs, each one association.</summary>
    /// <param name="noDelay">Runs echoscu with TCP_NODELAY=1 in its environment, which dcmtk reads to turn Nagle's algorithm off.</param>
    public static async Task<double> EchoscuAsync(int port, int count, bool noDelay, CancellationToken cancellationToken)
    {
        var echoscu = ExternalTool.Require("echoscu", "dcmtk");
        string[] arguments = ["-aet", BenchMppsListener.EchoAeTitle, "-aec", BenchMppsListener.AeTitle, "127.0.0.1", port.ToString(CultureInfo.InvariantCulture)];
        var environment = new Dictionary<string, string?> { ["TCP_NODELAY"] = noDelay ? "1" : null };
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var process = ChildProcess.Start(echoscu, arguments, environment: environment);
            await using (process.ConfigureAwait(false))
            {
                var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
                if (exit != 0) throw new InvalidOperationException($"echoscu exited {exit}: {process.StderrTail(3)}");
            }
        }

        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>
    /// Seconds for <paramref name="count"/> echoscu runs against a port nobody listens on (connection refused):
    /// what starting echoscu costs without any association.
    /// </summary>
    public static async Task<double> EchoscuStartOnlyAsync(int count, CancellationToken cancellationToken)
    {
        var echoscu = ExternalTool.Require("echoscu", "dcmtk");
        string[] arguments = ["-aet", BenchMppsListener.EchoAeTitle, "-aec", BenchMppsListener.AeTitle, "127.0.0.1", FreePort.Next().ToString(CultureInfo.InvariantCulture)];
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var process = ChildProcess.Start(echoscu, arguments);
            await using (process.ConfigureAwait(false))
            {
                await process.WaitForExitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            }
        }

        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>Seconds for <paramref name="count"/> associations of our DicomClient, one C-ECHO each.</summary>
    public static async Task<double> OursAsync(int port, int count, CancellationToken cancellationToken)
    {
        var options = new DicomClientOptions { CallingAeTitle = BenchMppsListener.EchoAeTitle, CalledAeTitle = BenchMppsListener.AeTitle };
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var client = await DicomClient.ConnectAsync("127.0.0.1", port, options, [DicomUids.Verification], TimeProvider.System, cancellationToken)
                .ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                var echo = await client.EchoAsync(cancellationToken).ConfigureAwait(false);
                if (!echo.Status.IsSuccess) throw new InvalidOperationException($"C-ECHO answered {echo.Status}");
                await client.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
