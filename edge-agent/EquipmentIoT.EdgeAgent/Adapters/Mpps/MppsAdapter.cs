using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.Protocols.Dicom;
using EquipmentIoT.Protocols.Dicom.Association;
using EquipmentIoT.Protocols.Dicom.Services;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Adapters.Mpps;

/// <summary>
/// The agent's MPPS listener as an adapter: one DICOM SCP (Verification and Modality Performed Procedure
/// Step) serving every device in <see cref="MppsListenerOptions.Devices"/>. An N-CREATE becomes
/// <see cref="EventTypes.ExamStarted"/>, an N-SET to COMPLETED <see cref="EventTypes.ExamCompleted"/> and to
/// DISCONTINUED <see cref="EventTypes.ExamDiscontinued"/>, on the device the calling AE title and/or the
/// Performed Station AE Title map to (data: <see cref="MppsEventMapper"/>; the sink scrubs PHI). Its own
/// <see cref="Device"/> is the pseudo device "mpps", whose status is the listener's; per-device status is in
/// <see cref="DeviceStatuses"/>. A step from a station no binding names is still reported, on "mpps", and
/// makes the status Degraded.
/// </summary>
public sealed partial class MppsAdapter : IDeviceAdapter, IMppsProvider
{
    /// <summary>The pseudo device id of the listener.</summary>
    public const string ListenerDevice = "mpps";

    private const int MaxLoggedStations = 64;

    private readonly MppsListenerOptions _options;
    private readonly IReadOnlyDictionary<string, MppsProfile> _profiles;
    private readonly IClock _clock;
    private readonly TimeProvider _time;
    private readonly ILogger<MppsAdapter> _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly DateTimeZone _zone;
    private readonly ConcurrentDictionary<string, AdapterStatus> _deviceStatuses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _loggedStations = new(StringComparer.Ordinal);
    private ITelemetrySink? _sink;
    private DicomServer? _server;
    private volatile AdapterStatus _status;
    private long _created, _completed, _discontinued, _unmapped, _mappingFailures;

    /// <summary>Creates the adapter.</summary>
    /// <param name="options">The listener and the device bindings (validated).</param>
    /// <param name="profiles">The 'mpps' profile section of each bound device, by device id (defaults when absent).</param>
    /// <param name="clock">Event timestamps.</param>
    /// <param name="time">Timeouts (ARTIM, idle) and the step table's time to live.</param>
    /// <param name="loggerFactory">Logs of the adapter and of the DICOM server.</param>
    public MppsAdapter(MppsListenerOptions options, IReadOnlyDictionary<string, MppsProfile> profiles, IClock clock, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _profiles = profiles ?? throw new ArgumentNullException(nameof(profiles));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        _logger = loggerFactory.CreateLogger<MppsAdapter>();
        _zone = options.GetZone();
        _status = new AdapterStatus(ListenerDevice, "mpps", AdapterState.Starting, null);
        foreach (var device in options.Devices) _deviceStatuses[device.DeviceId] = new AdapterStatus(device.DeviceId, "mpps", AdapterState.Starting, null);
    }

    /// <inheritdoc/>
    public string Device => ListenerDevice;

    /// <inheritdoc/>
    public AdapterStatus Status => _status;

    /// <summary>Each bound device's status: the listener's (Ok while it listens for them, Down when it cannot).</summary>
    public IReadOnlyDictionary<string, AdapterStatus> DeviceStatuses => _deviceStatuses;

    /// <summary>Where the listener is bound, once running.</summary>
    public IPEndPoint? LocalEndPoint => _server?.LocalEndPoint;

    /// <summary>Counters: steps created, completed, discontinued, from unmapped stations, and steps that could not be mapped.</summary>
    public (long Created, long Completed, long Discontinued, long Unmapped, long MappingFailures) Counts =>
        (Interlocked.Read(ref _created), Interlocked.Read(ref _completed), Interlocked.Read(ref _discontinued), Interlocked.Read(ref _unmapped), Interlocked.Read(ref _mappingFailures));

    /// <summary>The DICOM server's counters (associations, rejections, protocol errors), once running.</summary>
    public DicomServerStatistics? ServerStatistics => _server?.Statistics;

    /// <inheritdoc/>
    public async Task RunAsync(ITelemetrySink sink, CancellationToken cancellationToken)
    {
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        var accepted = _options.AcceptAnyCallingAeTitle
            ? null
            : _options.Devices.Where(d => d.CallingAeTitle is not null).Select(d => d.CallingAeTitle!).ToHashSet(StringComparer.Ordinal);
        var serverOptions = new DicomServerOptions
        {
            AeTitle = _options.AeTitle,
            AcceptedCallingAeTitles = accepted,
            MaxAssociations = _options.MaxAssociations,
            ArtimTimeout = _options.ArtimTimeout,
            IdleTimeout = _options.IdleTimeout,
            MaxPduLength = (uint)_options.MaxPduLength,
        };
        var mpps = new MppsService(this, new MppsServiceOptions { MaxInstances = _options.MaxInstances, InstanceTimeToLive = _options.InstanceTimeToLive }, _time);
        var server = new DicomServer(serverOptions, [new VerificationService(), mpps], _loggerFactory.CreateLogger<DicomServer>(), _time);
        await using (server.ConfigureAwait(false))
        {
            try
            {
                server.Start(new IPEndPoint(IPAddress.Parse(_options.BindAddress), _options.Port));
            }
            catch (SocketException e)
            {
                _status = _status with { State = AdapterState.Down, LastError = $"cannot listen on {_options.BindAddress}:{_options.Port}: {e.Message}" };
                SetDeviceStates(AdapterState.Down, _status.LastError);
                throw;
            }

            _server = server;
            _status = _status with { State = AdapterState.Ok };
            SetDeviceStates(AdapterState.Ok, null);
            LogListening(_logger, server.LocalEndPoint, _options.AeTitle, _options.Devices.Count);
            try
            {
                // The accept loop ends only when stopped; if it ends otherwise the supervisor restarts us.
                await server.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
                _status = _status with { State = AdapterState.Down, LastError = "the DICOM listener stopped" };
                SetDeviceStates(AdapterState.Down, _status.LastError);
                throw new DicomCommunicationException($"the DICOM listener on {_options.BindAddress}:{_options.Port} stopped");
            }
            finally
            {
                _server = null;
            }
        }
    }

    /// <inheritdoc/>
    Task IMppsProvider.OnNCreateAsync(MppsNotification notification, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _created);
        Emit(notification, EventTypes.ExamStarted);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    Task IMppsProvider.OnNSetAsync(MppsNotification notification, CancellationToken cancellationToken)
    {
        switch (notification.Status)
        {
            case PerformedProcedureStepStatus.Completed:
                Interlocked.Increment(ref _completed);
                Emit(notification, EventTypes.ExamCompleted);
                break;
            case PerformedProcedureStepStatus.Discontinued:
                Interlocked.Increment(ref _discontinued);
                Emit(notification, EventTypes.ExamDiscontinued);
                break;
            default:
                break; // an update while IN PROGRESS: the final N-SET reports the exam
        }

        return Task.CompletedTask;
    }

    private void Emit(MppsNotification notification, string type)
    {
        var station = notification.Attributes.GetString(Protocols.Dicom.Data.DicomTags.PerformedStationAETitle);
        var device = Resolve(notification.Association.CallingAeTitle, station);
        try
        {
            var profile = device is not null && _profiles.TryGetValue(device, out var p) ? p : new MppsProfile();
            var data = MppsEventMapper.Map(notification.SopInstanceUid, notification.Attributes, profile, _zone);
            _sink?.AddEvent(new TelemetryEvent(device ?? ListenerDevice, type, _clock.GetCurrentInstant(), data));
            if (device is null) return;
            if (profile.Modality.Length > 0 && data.TryGetValue("Modality", out var modality) && modality.ToString() is var seen && seen != profile.Modality)
                LogModalityMismatch(_logger, device, seen, profile.Modality);
        }
#pragma warning disable CA1031 // Whatever a modality sent, the adapter counts it and goes on (IDeviceAdapter contract).
        catch (Exception e)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _mappingFailures);
            _status = _status with { State = AdapterState.Degraded, LastError = $"a {type} could not be mapped: {e.Message}" };
            LogMappingFailed(_logger, type, e);
        }
    }

    private void SetDeviceStates(AdapterState state, string? error)
    {
        foreach (var device in _options.Devices) _deviceStatuses[device.DeviceId] = new AdapterStatus(device.DeviceId, "mpps", state, error);
    }

    private string? Resolve(string callingAeTitle, string? stationAeTitle)
    {
        MppsDeviceBinding? best = null;
        var bestScore = 0;
        foreach (var binding in _options.Devices)
        {
            if (binding.CallingAeTitle is not null && binding.CallingAeTitle != callingAeTitle) continue;
            if (binding.StationAeTitle is not null && binding.StationAeTitle != stationAeTitle) continue;
            var score = (binding.CallingAeTitle is null ? 0 : 1) + (binding.StationAeTitle is null ? 0 : 2);
            if (score > bestScore) (best, bestScore) = (binding, score);
        }

        if (best is not null) return best.DeviceId;
        Interlocked.Increment(ref _unmapped);
        var who = $"{callingAeTitle}/{stationAeTitle}";
        _status = _status with { State = AdapterState.Degraded, LastError = $"a step from {who} matches no device; reported on '{ListenerDevice}'" };
        if (_loggedStations.Count < MaxLoggedStations && _loggedStations.TryAdd(who, 0)) LogUnmapped(_logger, callingAeTitle, stationAeTitle);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MPPS: listening on {EndPoint} as {AeTitle} for {Devices} devices")]
    private static partial void LogListening(ILogger logger, IPEndPoint endPoint, string aeTitle, int devices);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MPPS: a step from calling AE {CallingAe}, station {Station} matches no device (logged once per station)")]
    private static partial void LogUnmapped(ILogger logger, string callingAe, string? station);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MPPS: a {Type} could not be turned into an event")]
    private static partial void LogMappingFailed(ILogger logger, string type, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MPPS: {Device} reported modality {Modality}, its profile expects {Expected}")]
    private static partial void LogModalityMismatch(ILogger logger, string device, string modality, string expected);
}
