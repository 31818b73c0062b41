using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using EquipmentIoT.EdgeAgent.Adapters.Mpps;
using EquipmentIoT.EdgeAgent.Privacy;
using EquipmentIoT.Protocols.Dicom.Association;
using EquipmentIoT.Protocols.Dicom.Dimse;
using EquipmentIoT.Protocols.Dicom.Services;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Cli.Probe;

/// <summary>
/// <c>eqiot agent probe dicom mpps</c>: listens as an MPPS SCP (and Verification SCP), and prints each N-CREATE /
/// N-SET as the agent's exam event would carry it: mapped by <see cref="MppsEventMapper"/>, then scrubbed by a
/// <see cref="PhiScrubber"/> with the default policy and a throwaway site secret, so patient names and ids are
/// never printed and pseudonyms are not those of the site.
/// </summary>
internal sealed class DicomMppsProbe : IMppsProvider
{
    public const string Help = """
          eqiot agent probe dicom mpps --port P [--bind 127.0.0.1] [--ae EQIOT] [--accept-any | --calling-ae AE …]
                  [--profile NAME|FILE] [--time-zone UTC] [-C N] [-W SECONDS]
              listen as MPPS SCP (C-ECHO accepted too); print each N-CREATE/N-SET as the agent's exam event carries
              it after PHI scrubbing (throwaway secret); end after the first completed or discontinued exam, or
              after N messages with -C, or S seconds with -W
        """;

    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PhiScrubber _scrubber = new(PhiPolicy.Default, new PhiSiteSecret(RandomNumberGenerator.GetBytes(32)));
    private MppsProfile _profile = new();
    private DateTimeZone _zone = DateTimeZone.Utc;
    private int? _count;
    private int _received;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var probe = new DicomMppsProbe();
        int? port = null;
        var bind = IPAddress.Loopback;
        string ae = "EQIOT";
        HashSet<string>? calling = null;
        var acceptAny = false;
        TimeSpan? timeout = null;
        var a = new ProbeArguments(args);
        while (a.Next())
        {
            switch (a.Current)
            {
                case "-p" or "--port": port = a.Int(0, 65535); break;
                case "--bind": bind = IPAddress.TryParse(a.Value(), out var ip) ? ip : throw new ProbeUsageException($"--bind takes an IP address, not '{a.Current}'"); break;
                case "--ae" or "-aet": ae = DicomProbeAe.Title(a); break;
                case "--accept-any": acceptAny = true; break;
                case "--calling-ae": (calling ??= new(StringComparer.Ordinal)).Add(DicomProbeAe.Title(a)); break;
                case "--profile": probe._profile = ProbeProfiles.Load(a.Value()).Mpps ?? new MppsProfile(); break;
                case "--time-zone": probe._zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(a.Value()) ?? throw new ProbeUsageException($"--time-zone: '{a.Current}' is not an IANA time zone id"); break;
                case "-C" or "--count": probe._count = a.Int(1, int.MaxValue); break;
                case "-W" or "--timeout": timeout = a.Seconds(); break;
                default: throw a.Unknown();
            }
        }

        if (port is null) throw new ProbeUsageException("say where to listen: --port P");
        if (acceptAny && calling is not null) throw new ProbeUsageException("--accept-any or --calling-ae, not both");

        using var logs = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        var options = new DicomServerOptions { AeTitle = ae, AcceptedCallingAeTitles = calling, MaxAssociations = 4 };
        var mpps = new MppsService(probe, new MppsServiceOptions(), TimeProvider.System);
        var server = new DicomServer(options, [new EchoPrinter(), mpps], logs.CreateLogger<DicomServer>(), TimeProvider.System);
        await using (server.ConfigureAwait(false))
        {
            try
            {
                server.Start(new IPEndPoint(bind, port.Value));
            }
            catch (SocketException e)
            {
                await Console.Error.WriteLineAsync($"Error: cannot listen on {bind}:{port}: {e.Message}").ConfigureAwait(false);
                return 1;
            }

            Console.WriteLine($"-- listening as {ae} on {server.LocalEndPoint} for MPPS and C-ECHO from {(calling is null ? "any calling AE" : string.Join(", ", calling))}" +
                              $" until {(probe._count is { } n ? $"{n} messages" : "an exam ends")} (Ctrl-C to stop)");
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout is { } t) deadline.CancelAfter(t);
            try
            {
                await probe._done.Task.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                Console.WriteLine($"-- {probe._received} messages");
                if (cancellationToken.IsCancellationRequested) return 0;
                await Console.Error.WriteLineAsync($"Error: {probe._received} messages and no {(probe._count is null ? "finished exam" : $"{probe._count}th message")} within {timeout?.TotalSeconds} s").ConfigureAwait(false);
                return 1;
            }

            // Let the SCU read its response and release before the listener goes away (bounded).
            for (var i = 0; i < 100 && server.Statistics.Active > 0; i++) await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"-- {probe._received} messages");
            return 0;
        }
    }

    Task IMppsProvider.OnNCreateAsync(MppsNotification notification, CancellationToken cancellationToken)
    {
        Print("N-CREATE", notification, EventTypes.ExamStarted);
        return Task.CompletedTask;
    }

    Task IMppsProvider.OnNSetAsync(MppsNotification notification, CancellationToken cancellationToken)
    {
        Print("N-SET", notification, notification.Status switch
        {
            PerformedProcedureStepStatus.Completed => EventTypes.ExamCompleted,
            PerformedProcedureStepStatus.Discontinued => EventTypes.ExamDiscontinued,
            _ => null, // an update while IN PROGRESS: the agent reports the exam at its final N-SET
        });
        return Task.CompletedTask;
    }

    private void Print(string message, MppsNotification notification, string? eventType)
    {
        var data = MppsEventMapper.Map(notification.SopInstanceUid, notification.Attributes, _profile, _zone);
        var scrubbed = _scrubber.Scrub(new TelemetryEvent("probe", eventType ?? "none", SystemClock.Instance.GetCurrentInstant(), data));
        lock (_gate)
        {
            _received++;
            Console.WriteLine($"[{_received}] {message} from {notification.Association.CallingAeTitle} ({notification.Status}): {eventType ?? "no event (update in progress)"}");
            foreach (var (key, value) in scrubbed.Data.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                Console.WriteLine($"    {key} = {ProbeSink.Escape(value.ToString())}");
            if (_count is { } n ? _received >= n : PerformedProcedureStepStatus.IsFinal(notification.Status)) _done.TrySetResult();
        }
    }

    // Verification (PS3.4 Annex A), printed: an echoscu against the probe shows up.
    private sealed class EchoPrinter : IDicomService
    {
        private readonly VerificationService _inner = new();

        public string SopClassUid => _inner.SopClassUid;

        public Task<DimseResponse> HandleAsync(AssociationInfo association, DimseRequest request, CancellationToken cancellationToken)
        {
            if (request is CEchoRequest) Console.WriteLine($"C-ECHO from {association.CallingAeTitle} ({association.RemoteEndPoint})");
            return _inner.HandleAsync(association, request, cancellationToken);
        }
    }
}
