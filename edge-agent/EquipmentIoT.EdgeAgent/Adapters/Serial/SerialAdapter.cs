using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Protocols.Serial;
using EquipmentIoT.Protocols.Serial.Framing;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Adapters.Serial;

/// <summary>
/// Reads a device's status lines from a serial port: frames them (<see cref="LineFramer"/>), applies the
/// profile's rules (<see cref="SerialLineInterpreter"/>) and hands metrics, state changes and faults to the
/// sink. Bad input is counted (<see cref="Statistics"/>), logged at most once a minute per kind, and shows
/// as <see cref="AdapterState.Degraded"/> for a minute; silence longer than
/// <see cref="SerialDeviceOptions.SilenceTimeout"/> is Degraded too. A port that is missing or goes away
/// (unplugged, EIO) is <see cref="AdapterState.Down"/> with its error and is reopened with backoff.
/// </summary>
public sealed partial class SerialAdapter : IDeviceAdapter
{
    /// <summary>How long a bad line keeps the adapter Degraded, and how often each kind of problem is logged.</summary>
    public static readonly TimeSpan ProblemWindow = TimeSpan.FromMinutes(1);

    private const int ReadBufferSize = 4096;
    private const int LoggedPrefixLength = 24;

    private readonly SerialDeviceOptions _options;
    private readonly SerialPortSettings _settings;
    private readonly LineFramer _framer;
    private readonly SerialLineInterpreter _interpreter;
    private readonly IClock _clock;
    private readonly TimeProvider _time;
    private readonly ILogger<SerialAdapter> _logger;
    private readonly MqttRetryPolicy _reopen;
    private readonly List<string> _lines = new(16);
    private readonly Lock _gate = new();
    private readonly DateTimeOffset[] _nextWarning = new DateTimeOffset[Enum.GetValues<Problem>().Length];
    private AdapterState _state = AdapterState.Starting;
    private string? _portError;
    private bool _silent;
    private string? _lastProblem;
    private DateTimeOffset _lastProblemAt = DateTimeOffset.MinValue;
    private long _bytes, _ok, _unmatched, _regexTimeouts, _missing, _nonNumeric, _invalid, _opens, _portFailures;

    /// <summary>Creates the adapter for one configured device.</summary>
    /// <param name="device">The device id.</param>
    /// <param name="options">The port and its timing (validated).</param>
    /// <param name="profile">The profile's serial section (validated).</param>
    /// <param name="clock">Timestamps of readings and events.</param>
    /// <param name="time">Silence timeout, reopen delays and the problem window.</param>
    /// <param name="logger">Where warnings go.</param>
    /// <exception cref="ArgumentException">The options or the profile are invalid.</exception>
    public SerialAdapter(string device, SerialDeviceOptions options, SerialProfile profile, IClock clock, TimeProvider time, ILogger<SerialAdapter> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(device);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        Device = device;
        _options = options;
        _settings = options.ToSettings();
        _settings.Validate();
        _interpreter = new SerialLineInterpreter(device, profile);
        _framer = new LineFramer(profile.ToFramerOptions());
        _clock = clock;
        _time = time;
        _logger = logger;
        _reopen = new MqttRetryPolicy(options.ReopenDelay, options.MaxReopenDelay, int.MaxValue);
    }

    private enum Problem
    {
        Unmatched,
        Garbage,
        Overlong,
        Encoding,
        Partial,
        BadField,
        RegexTimeout,
    }

    /// <inheritdoc/>
    public string Device { get; }

    /// <inheritdoc/>
    public AdapterStatus Status
    {
        get
        {
            lock (_gate)
            {
                var (state, error) = _state switch
                {
                    AdapterState.Ok when _silent => (AdapterState.Degraded, $"no data for {_options.SilenceTimeout}"),
                    AdapterState.Ok when _lastProblem is not null && _time.GetUtcNow() - _lastProblemAt < ProblemWindow => (AdapterState.Degraded, _lastProblem),
                    AdapterState.Ok => (AdapterState.Ok, null),
                    _ => (_state, _portError),
                };
                return new AdapterStatus(Device, "serial", state, error);
            }
        }
    }

    /// <summary>Counters since the adapter was created.</summary>
    public SerialAdapterStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                var f = _framer.Statistics;
                return new SerialAdapterStatistics(_bytes, _ok, _unmatched, f.EmptyLines, f.ControlBytes, f.NulBytes, f.OverlongLines,
                    f.EncodingErrors, f.PartialLines, _regexTimeouts, _missing, _nonNumeric, _invalid, _opens, _portFailures);
            }
        }
    }

    /// <inheritdoc/>
    public async Task RunAsync(ITelemetrySink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            Exception failure;
            try
            {
                using var port = SerialPort.Open(_settings);
                attempt = 0;
                Opened();
                await ReadUntilFailureAsync(port, sink, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SerialCommunicationException e)
            {
                failure = e;
            }

            attempt++;
            _reopen.ShouldRetry(attempt, failure, out var delay);
            PortFailed(failure, sink, attempt, delay);
            try
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task ReadUntilFailureAsync(SerialPort port, ITelemetrySink sink, CancellationToken cancellationToken)
    {
        var buffer = new byte[ReadBufferSize];
        // One source per silence: the timer (on the injected TimeProvider) cancels it when no byte came for
        // SilenceTimeout; it is replaced once cancelled. (CancellationTokenSource.TryReset would drop the
        // read's own registration, so it is not used.)
        var silence = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timer = _time.CreateTimer(_ => CancelQuietly(silence), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        try
        {
            while (true)
            {
                if (silence.IsCancellationRequested)
                {
                    silence.Dispose();
                    silence = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                }

                timer.Change(_options.SilenceTimeout, Timeout.InfiniteTimeSpan);
                int n;
                try
                {
                    n = await port.ReadAsync(buffer, silence.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    WentSilent(sink);
                    continue;
                }

                timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                Received(buffer.AsSpan(0, n), sink);
            }
        }
        finally
        {
            silence.Dispose();
        }
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Replaced or finished meanwhile: nothing is waiting on it.
        }
    }

    private void Opened()
    {
        lock (_gate)
        {
            _opens++;
            _state = AdapterState.Ok;
            _portError = null;
            _silent = false;
        }

        LogOpened(_logger, Device, _settings);
    }

    private void PortFailed(Exception failure, ITelemetrySink sink, int attempt, TimeSpan delay)
    {
        lock (_gate)
        {
            _portFailures++;
            _state = AdapterState.Down;
            _portError = failure.Message;
            _silent = false;
            Interpret(_framer.DropPartialLine(_lines), sink);
        }

        if (attempt == 1) LogPortFailed(_logger, Device, failure.Message, delay);
        else LogPortStillFailing(_logger, Device, attempt, failure.Message, delay);
    }

    private void WentSilent(ITelemetrySink sink)
    {
        bool first;
        lock (_gate)
        {
            first = !_silent;
            _silent = true;
            Interpret(_framer.DropPartialLine(_lines), sink);
        }

        if (first) LogSilent(_logger, Device, _options.SilenceTimeout);
    }

    private void Received(ReadOnlySpan<byte> bytes, ITelemetrySink sink)
    {
        lock (_gate)
        {
            _bytes += bytes.Length;
            _silent = false;
            var before = _framer.Statistics;
            _lines.Clear();
            _framer.Feed(bytes, _lines);
            Interpret(false, sink);
            var after = _framer.Statistics;
            if (after.ControlBytes > before.ControlBytes) Noted(Problem.Garbage, after.ControlBytes, "control bytes (garbage) dropped");
            if (after.OverlongLines > before.OverlongLines) Noted(Problem.Overlong, after.OverlongLines, "overlong lines discarded");
            if (after.EncodingErrors > before.EncodingErrors) Noted(Problem.Encoding, after.EncodingErrors, $"lines invalid in {_framer.Options.Encoding} skipped");
        }
    }

    // Interprets the lines the framer produced (caller holds _gate); `droppedPartial` when a partial line was just dropped.
    private void Interpret(bool droppedPartial, ITelemetrySink sink)
    {
        if (droppedPartial) Noted(Problem.Partial, _framer.Statistics.PartialLines, "partial lines dropped");
        if (_lines.Count == 0) return;
        var now = _clock.GetCurrentInstant();
        foreach (var line in _lines)
        {
            var result = _interpreter.Interpret(line, now, sink);
            switch (result.Outcome)
            {
                case SerialLineOutcome.Used:
                    _ok++;
                    break;
                case SerialLineOutcome.Unmatched:
                    _unmatched++;
                    Noted(Problem.Unmatched, _unmatched, "lines matched no rule");
                    LogUnmatchedLine(_logger, Device, new LinePrefix(line));
                    break;
                default:
                    _regexTimeouts++;
                    Noted(Problem.RegexTimeout, _regexTimeouts, "lines skipped after a regex timeout");
                    break;
            }

            if (result.MissingFields + result.NonNumericFields + result.InvalidValues > 0)
            {
                _missing += result.MissingFields;
                _nonNumeric += result.NonNumericFields;
                _invalid += result.InvalidValues;
                Noted(Problem.BadField, _missing + _nonNumeric + _invalid,
                    $"bad fields skipped ({_missing} missing, {_nonNumeric} not numeric, {_invalid} invalid)");
            }
        }

        _lines.Clear();
    }

    // Records a problem for Status and logs it at most once per ProblemWindow per kind (caller holds _gate).
    private void Noted(Problem kind, long total, string what)
    {
        var now = _time.GetUtcNow();
        _lastProblem = $"{total} {what}";
        _lastProblemAt = now;
        if (now < _nextWarning[(int)kind]) return;
        _nextWarning[(int)kind] = now + ProblemWindow;
        LogProblem(_logger, Device, total, what);
    }


    [LoggerMessage(Level = LogLevel.Information, Message = "{Device}: serial port {Settings} open")]
    private static partial void LogOpened(ILogger logger, string device, SerialPortSettings settings);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Device}: serial port unavailable ({Error}); reopening in {Delay}")]
    private static partial void LogPortFailed(ILogger logger, string device, string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Device}: serial port still unavailable after {Attempt} attempts ({Error}); reopening in {Delay}")]
    private static partial void LogPortStillFailing(ILogger logger, string device, int attempt, string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Device}: no data for {Timeout}")]
    private static partial void LogSilent(ILogger logger, string device, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Device}: {Total} {What} so far (logged at most once a minute)")]
    private static partial void LogProblem(ILogger logger, string device, long total, string what);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Device}: unmatched line starting \"{Prefix}\"")]
    private static partial void LogUnmatchedLine(ILogger logger, string device, LinePrefix prefix);

    // Lines may carry patient data: only a short prefix, escaped, and only formatted when Debug is on.
    private readonly struct LinePrefix(string line)
    {
        public override string ToString()
        {
            var prefix = line.Length > LoggedPrefixLength ? line[..LoggedPrefixLength] : line;
            var escaped = string.Concat(prefix.Select(c => char.IsControl(c) || c > 0x7E ? $"\\u{(int)c:x4}" : c.ToString()));
            return line.Length > LoggedPrefixLength ? escaped + "…" : escaped;
        }
    }
}
