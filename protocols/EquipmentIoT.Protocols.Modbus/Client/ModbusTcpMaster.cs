using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using EquipmentIoT.Protocols.Modbus.Framing;
using EquipmentIoT.Protocols.Modbus.Pdu;

namespace EquipmentIoT.Protocols.Modbus.Client;

/// <summary>
/// A Modbus TCP master (Messaging on TCP/IP Implementation Guide V1.0b §4.2): one connection, requests
/// pipelined up to <see cref="ModbusTcpMasterOptions.MaxInFlight"/>, a pending table keyed by transaction id.
/// A response whose transaction id is not pending (the answer to a request that already timed out) is
/// discarded and counted in <see cref="StaleResponses"/>. An I/O error fails every pending request with a
/// <see cref="ModbusCommunicationException"/>; the next request connects again.
/// </summary>
public sealed class ModbusTcpMaster : ModbusMaster
{
    private readonly string _host;
    private readonly int _port;
    private readonly ModbusTcpMasterOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private readonly SemaphoreSlim _inFlight;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private Connection? _connection;
    private int _nextTransactionId;
    private long _staleResponses;
    private long _connects;

    /// <summary>Creates a master for <paramref name="host"/>:<paramref name="port"/>; it connects on first use.</summary>
    public ModbusTcpMaster(string host, int port, ModbusTcpMasterOptions? options = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        _host = host;
        _port = port;
        _options = options ?? new ModbusTcpMasterOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxInFlight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.Timeout, TimeSpan.Zero);
        _time = time ?? TimeProvider.System;
        _inFlight = new SemaphoreSlim(_options.MaxInFlight, _options.MaxInFlight);
    }

    /// <summary>Responses discarded because their transaction id was not pending (late answers).</summary>
    public long StaleResponses => Interlocked.Read(ref _staleResponses);

    /// <summary>Connections made so far (more than one means reconnects).</summary>
    public long Connects => Interlocked.Read(ref _connects);

    /// <inheritdoc/>
    protected override async Task<ModbusResponse?> ExchangeAsync(byte unitId, ModbusRequest request, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        var ct = linked.Token;
        await _inFlight.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var connection = await ConnectAsync(ct).ConfigureAwait(false);
            var pending = new Pending(unitId);
            ushort transactionId;
            do
            {
                transactionId = unchecked((ushort)Interlocked.Increment(ref _nextTransactionId));
            }
            while (!connection.Pending.TryAdd(transactionId, pending));

            try
            {
                // Closed between connecting and registering: Close() has already failed the requests it saw.
                if (!connection.IsOpen) throw new ModbusCommunicationException($"Modbus TCP {_host}:{_port}: the connection closed");

                var pdu = new ArrayBufferWriter<byte>(16);
                ModbusPdu.EncodeRequest(request, pdu);
                var adu = new ArrayBufferWriter<byte>(ModbusLimits.MaxTcpAduLength);
                ModbusTcpFraming.Encode(transactionId, unitId, pdu.WrittenSpan, adu);
                await connection.WriteAsync(adu.WrittenMemory, ct).ConfigureAwait(false);
                using var timeout = new CancellationTokenSource(_options.Timeout, _time);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
                try
                {
                    return await pending.Response.Task.WaitAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
                {
                    throw new ModbusCommunicationException(
                        $"Modbus TCP {_host}:{_port} unit {unitId}: no response to function {(byte)request.Function} (transaction {transactionId}) within {_options.Timeout}")
                    { IsTimeout = true };
                }
            }
            finally
            {
                connection.Pending.TryRemove(transactionId, out _);
            }
        }
        finally
        {
            _inFlight.Release();
        }
    }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        var connection = _connection;
        if (connection is not null)
        {
            connection.Close(new ModbusCommunicationException("the master was disposed"));
            await connection.Reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _closing.Dispose();
        _connectGate.Dispose();
        _inFlight.Dispose();
        _writeGate.Dispose();
    }

    private async Task<Connection> ConnectAsync(CancellationToken ct)
    {
        var current = _connection;
        if (current is { IsOpen: true }) return current;
        await _connectGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            current = _connection;
            if (current is { IsOpen: true }) return current;
            var client = new TcpClient { NoDelay = true };
            try
            {
                using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
                await client.ConnectAsync(_host, _port, linked.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                client.Dispose();
                throw new ModbusCommunicationException($"Modbus TCP {_host}:{_port}: cannot connect: {e.Message}", e);
            }

            Interlocked.Increment(ref _connects);
            var connection = new Connection(this, client);
            _connection = connection;
            connection.Start();
            return connection;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    private sealed class Pending(byte unitId)
    {
        public byte UnitId { get; } = unitId;

        public TaskCompletionSource<ModbusResponse?> Response { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Connection(ModbusTcpMaster owner, TcpClient client)
    {
        private readonly NetworkStream _stream = client.GetStream();
        private Task _reader = Task.CompletedTask;
        private int _closed;

        public ConcurrentDictionary<ushort, Pending> Pending { get; } = new();

        public bool IsOpen => Volatile.Read(ref _closed) == 0;

        public void Start() => _reader = Task.Run(ReadLoopAsync);

        public async Task WriteAsync(ReadOnlyMemory<byte> adu, CancellationToken ct)
        {
            await owner._writeGate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                await _stream.WriteAsync(adu, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                var failure = new ModbusCommunicationException($"Modbus TCP {owner._host}:{owner._port}: write failed: {e.Message}", e);
                Close(failure);
                throw failure;
            }
            finally
            {
                owner._writeGate.Release();
            }
        }

        public Task Reader => _reader;

        public void Close(Exception reason)
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0) return;
            client.Dispose();
            foreach (var pending in Pending.Values) pending.Response.TrySetException(reason);
        }

        private async Task ReadLoopAsync()
        {
            var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 4096, leaveOpen: true));
            Exception failure;
            try
            {
                while (true)
                {
                    var result = await reader.ReadAsync().ConfigureAwait(false);
                    var buffer = result.Buffer;
                    while (ModbusTcpFraming.TryDecode(ref buffer, out var frame)) Dispatch(frame!);
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    if (result.IsCompleted)
                    {
                        failure = new ModbusCommunicationException($"Modbus TCP {owner._host}:{owner._port}: the server closed the connection");
                        break;
                    }
                }
            }
            catch (ModbusProtocolException e)
            {
                // A broken MBAP header leaves no way to find the next frame: drop the connection.
                failure = e;
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                failure = new ModbusCommunicationException($"Modbus TCP {owner._host}:{owner._port}: read failed: {e.Message}", e);
            }

            await reader.CompleteAsync(failure).ConfigureAwait(false);
            Close(failure);
        }

        private void Dispatch(ModbusTcpFrame frame)
        {
            if (!Pending.TryRemove(frame.TransactionId, out var pending))
            {
                Interlocked.Increment(ref owner._staleResponses);
                return;
            }

            if (frame.UnitId != pending.UnitId)
            {
                pending.Response.TrySetException(new ModbusProtocolException(
                    $"Modbus TCP response to transaction {frame.TransactionId}: unit id {frame.UnitId}, the request went to {pending.UnitId}"));
                return;
            }

            try
            {
                pending.Response.TrySetResult(ModbusPdu.DecodeResponse(frame.Pdu));
            }
            catch (ModbusProtocolException e)
            {
                pending.Response.TrySetException(e);
            }
        }
    }
}
