using EquipmentIoT.Protocols.Dicom;
using EquipmentIoT.Protocols.Dicom.Association;

namespace EquipmentIoT.EdgeAgent.Cli.Probe;

/// <summary><c>eqiot agent probe dicom echo</c>: C-ECHO with our SCU, like dcmtk's echoscu.</summary>
internal static class DicomEchoProbe
{
    public const string Help = """
          eqiot agent probe dicom echo --host H --port P [--called-ae ANY-SCP] [--calling-ae EQIOTPROBE] [-to SECONDS]
              associate for Verification, send C-ECHO, print the association result and the status, release
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        string? host = null;
        int? port = null;
        string called = "ANY-SCP", calling = "EQIOTPROBE";
        var timeout = TimeSpan.FromSeconds(10);
        var a = new ProbeArguments(args);
        while (a.Next())
        {
            switch (a.Current)
            {
                case "-h" or "--host": host = a.Value(); break;
                case "-p" or "--port": port = a.Int(1, 65535); break;
                case "-aec" or "--called-ae": called = DicomProbeAe.Title(a); break;
                case "-aet" or "--calling-ae": calling = DicomProbeAe.Title(a); break;
                case "-to" or "--timeout": timeout = a.Seconds(3600); break;
                default: throw a.Unknown();
            }
        }

        if (host is null || port is null) throw new ProbeUsageException("say where: --host H --port P");
        var options = new DicomClientOptions { CallingAeTitle = calling, CalledAeTitle = called, ArtimTimeout = timeout, ResponseTimeout = timeout };
        DicomClient client;
        try
        {
            client = await DicomClient.ConnectAsync(host, port.Value, options, [DicomUids.Verification], TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
        catch (DicomAssociationRejectedException e)
        {
            await Console.Error.WriteLineAsync($"Error: association rejected: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        await using (client.ConfigureAwait(false))
        {
            var info = client.Association;
            if (info.FindContext(DicomUids.Verification) is not { } context)
            {
                Console.WriteLine($"Association accepted by {called}@{host}:{port} but the Verification context was refused");
                await client.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                return 1;
            }

            Console.WriteLine($"Association accepted by {called}@{host}:{port} (calling {calling}; transfer syntax {context.TransferSyntax}; " +
                              $"peer max PDU {info.PeerMaxLength}; implementation {info.PeerImplementationClassUid}{(info.PeerImplementationVersionName is { } v ? " " + v : "")})");
            var response = await client.EchoAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"C-ECHO status {response.Status} ({(response.Status.IsSuccess ? "Success" : "Failure")})");
            await client.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine("Released");
            return response.Status.IsSuccess ? 0 : 1;
        }
    }
}

/// <summary>AE titles from the command line (PS3.5 §6.2 AE: 1–16 characters of the default repertoire, no backslash or control characters).</summary>
internal static class DicomProbeAe
{
    public static string Title(ProbeArguments a)
    {
        var option = a.Current;
        var title = a.Value();
        return title.Trim().Length is >= 1 and <= 16 && title.All(c => c is >= ' ' and <= '~' and not '\\')
            ? title.Trim()
            : throw new ProbeUsageException($"{option}: an AE title is 1-16 printable ASCII characters without '\\', not '{title}'");
    }
}
