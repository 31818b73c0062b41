using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.Protocols.Modbus;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Adapters.Modbus;

/// <summary>
/// Polls one Modbus device (a slave on a bus, or a unit behind a TCP gateway) with the profile's register map:
/// coalesced reads (<see cref="ModbusPollPlan"/>), decoded values handed to the sink as metrics, state, fault and
/// counter events (<see cref="ModbusSignalTracker"/>). Devices on the same endpoint share one <see cref="ModbusBus"/>.
/// A device that stops answering opens its <see cref="ModbusCircuitBreaker"/> and is shown Down with the last
/// error; exception responses and malformed responses are counted, logged (at most once a minute each) and
/// shown as Degraded. Nothing a device sends makes it throw.
/// </summary>
public sealed partial class ModbusAdapter : IDeviceAdapter
{
    private static readonly TimeSpan LogEvery = TimeSpan.FromMinutes(1);

    private readonly ModbusProfile _profile;
    private readonly ModbusDeviceOptions _options;
    private readonly ModbusBusRegistry _buses;
    private readonly IClock _clock;
    private readonly TimeProvider _time;
    private readonly ILogger<ModbusAdapter> _logger;
    private readonly IReadOnlyList<ModbusReadBlock> _plan;
    private readonly ModbusSignalTracker _tracker;
    private readonly ModbusCircuitBreaker _breaker;
    private readonly byte _unit;
    private readonly long[] _lastLogged = new long[3];
    private volatile AdapterStatus _status;
    private long _polls;
    private long _failedPolls;
    private long _exceptionResponses;
    private long _protocolErrors;

    /// <summary>Creates the adapter for one device; <paramref name="buses"/> is shared by every Modbus adapter of the agent.</summary>
    public ModbusAdapter(string device, ModbusProfile profile, ModbusDeviceOptions options, ModbusBusRegistry buses,
        IClock clock, TimeProvider time, ILogger<ModbusAdapter> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(device);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(buses);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        Device = device;
        _profile = profile;
        _options = options;
        _buses = buses;
        _clock = clock;
        _time = time;
        _logger = logger;
        _unit = checked((byte)options.UnitId);
        _plan = ModbusPollPlan.Build(profile.Registers, profile.MaxGap);
        _tracker = new ModbusSignalTracker(device);
        _breaker = new ModbusCircuitBreaker(options.BreakerFailures, options.BreakerOpenDelay, options.BreakerMaxOpenDelay, time);
        _status = new AdapterStatus(device, "modbus", AdapterState.Starting, null);
    }

    /// <inheritdoc/>
    public string Device { get; }

    /// <inheritdoc/>
    public AdapterStatus Status => _status;

    /// <summary>The read requests of one poll.</summary>
    public IReadOnlyList<ModbusReadBlock> Plan => _plan;

    /// <summary>Polls that reached the device and got every block answered or refused.</summary>
    public long Polls => Interlocked.Read(ref _polls);

    /// <summary>Polls that failed with a timeout or I/O error (after retries).</summary>
    public long FailedPolls => Interlocked.Read(ref _failedPolls);

    /// <summary>Exception responses received.</summary>
    public long ExceptionResponses => Interlocked.Read(ref _exceptionResponses);

    /// <summary>Responses that broke the protocol.</summary>
    public long ProtocolErrors => Interlocked.Read(ref _protocolErrors);

    /// <summary>The circuit breaker's state.</summary>
    public ModbusBreakerState BreakerState => _breaker.State;

    /// <inheritdoc/>
    public async Task RunAsync(ITelemetrySink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var bus = _buses.Acquire(_options);
        try
        {
            using var timer = new PeriodicTimer(_options.PollInterval ?? _profile.PollInterval, _time);
            do
            {
                await PollOnceAsync(bus, sink, cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            await _buses.ReleaseAsync(bus).ConfigureAwait(false);
        }
    }

    /// <summary>One poll: every block read once (with retries), values emitted; the breaker and status updated.</summary>
    internal async Task PollOnceAsync(ModbusBus bus, ITelemetrySink sink, CancellationToken cancellationToken)
    {
        if (!_breaker.TryEnter())
        {
            return;
        }

        string? degraded = null;
        string? failure = null;
        foreach (var block in _plan)
        {
            try
            {
                await ReadBlockAsync(bus, block, sink, cancellationToken).ConfigureAwait(false);
            }
            catch (ModbusExceptionResponseException e)
            {
                Interlocked.Increment(ref _exceptionResponses);
                degraded = e.Message;
                if (ShouldLog(0)) LogExceptionResponse(Device, (byte)block.Function, block.Start, block.Count, e.Message, ExceptionResponses);
            }
            catch (ModbusProtocolException e)
            {
                Interlocked.Increment(ref _protocolErrors);
                degraded = e.Message;
                if (ShouldLog(1)) LogProtocolError(Device, e.Message, ProtocolErrors);
            }
            catch (ModbusCommunicationException e)
            {
                failure = e.Message;
                break;
            }
        }

        if (failure is not null)
        {
            Interlocked.Increment(ref _failedPolls);
            _breaker.Failure();
            var open = _breaker.State == ModbusBreakerState.Open;
            _status = _status with
            {
                State = open ? AdapterState.Down : AdapterState.Degraded,
                LastError = open ? $"not answering; circuit open, next try in {_breaker.OpenDelay}: {failure}" : failure,
            };
            if (ShouldLog(2)) LogNoAnswer(Device, failure, _breaker.State.ToString());
            return;
        }

        Interlocked.Increment(ref _polls);
        _breaker.Success();
        _status = _status with { State = degraded is null ? AdapterState.Ok : AdapterState.Degraded, LastError = degraded ?? _status.LastError };
    }

    private async Task ReadBlockAsync(ModbusBus bus, ModbusReadBlock block, ITelemetrySink sink, CancellationToken ct)
    {
        if (block.Function is ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs)
        {
            var bits = await WithRetries(bus, (m, c) => block.Function == ModbusFunctionCode.ReadCoils
                ? m.ReadCoilsAsync(_unit, block.Start, block.Count, c)
                : m.ReadDiscreteInputsAsync(_unit, block.Start, block.Count, c), ct).ConfigureAwait(false);
            var now = _clock.GetCurrentInstant();
            foreach (var point in block.Points) _tracker.Apply(point, ModbusValueDecoder.FromBits(point, bits, block.Start), now, sink);
            return;
        }

        var registers = await WithRetries(bus, (m, c) => block.Function == ModbusFunctionCode.ReadHoldingRegisters
            ? m.ReadHoldingRegistersAsync(_unit, block.Start, block.Count, c)
            : m.ReadInputRegistersAsync(_unit, block.Start, block.Count, c), ct).ConfigureAwait(false);
        var at = _clock.GetCurrentInstant();
        foreach (var point in block.Points)
        {
            _tracker.Apply(point, ModbusValueDecoder.FromRegisters(point, registers, block.Start, _profile.DefaultWordOrder), at, sink);
        }
    }

    private async Task<T> WithRetries<T>(ModbusBus bus, Func<Protocols.Modbus.Client.ModbusMaster, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                // Each try takes the bus anew, so other devices' requests interleave with our retries.
                return await bus.ExecuteAsync(read, ct).ConfigureAwait(false);
            }
            catch (ModbusCommunicationException) when (attempt < _options.Retries && !ct.IsCancellationRequested)
            {
            }
        }
    }

    private bool ShouldLog(int what)
    {
        var now = _time.GetTimestamp();
        var last = _lastLogged[what];
        if (last != 0 && _time.GetElapsedTime(last, now) < LogEvery) return false;
        _lastLogged[what] = now;
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Modbus device {Device}: exception response to function {Function} at {Address}+{Count}: {Error} ({Total} so far; logged at most once a minute)")]
    private partial void LogExceptionResponse(string device, byte function, ushort address, ushort count, string error, long total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Modbus device {Device}: bad response: {Error} ({Total} so far; logged at most once a minute)")]
    private partial void LogProtocolError(string device, string error, long total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Modbus device {Device}: no answer: {Error} (breaker {Breaker}; logged at most once a minute)")]
    private partial void LogNoAnswer(string device, string error, string breaker);
}
