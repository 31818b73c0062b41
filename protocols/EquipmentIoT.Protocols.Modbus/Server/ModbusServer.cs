using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using EquipmentIoT.Protocols.Modbus.Framing;
using EquipmentIoT.Protocols.Modbus.Pdu;

namespace EquipmentIoT.Protocols.Modbus.Server;

/// <summary>
/// A Modbus server (slave) for equipment simulators and tests: serves FC 01–06, 15, 16 over TCP (several
/// clients, requests on one connection answered in order) and over RTU on a <see cref="Stream"/>. Units are
/// looked up per request; a unit the lookup does not know gets no answer, as a dead slave on a bus. An RTU
/// broadcast (address 0) is executed on the model the lookup returns for 0.
/// </summary>
public sealed class ModbusServer : IAsyncDisposable
{
    private readonly Func<byte, IModbusDataModel?> _units;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _tasks = [];
    private readonly Lock _gate = new();
    private TcpListener? _listener;
    private long _requests;

    /// <summary>Serves <paramref name="model"/> under every unit id.</summary>
    public ModbusServer(IModbusDataModel model) : this(_ => model)
    {
        ArgumentNullException.ThrowIfNull(model);
    }

    /// <summary>Serves the model <paramref name="units"/> returns for a unit id; null means no answer.</summary>
    public ModbusServer(Func<byte, IModbusDataModel?> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        _units = units;
    }

    /// <summary>
    /// A delay before answering (per unit and request), to simulate a slow device; applies to requests that
    /// arrive while it is set.
    /// </summary>
    public Func<byte, ModbusRequest?, TimeSpan>? ResponseDelay { get; set; }

    /// <summary>Requests answered so far.</summary>
    public long RequestsServed => Interlocked.Read(ref _requests);

    /// <summary>Starts listening on <paramref name="endpoint"/> (port 0 picks one) and returns the bound endpoint.</summary>
    public IPEndPoint StartTcp(IPEndPoint endpoint) => Listen(endpoint, rtu: false);

    /// <summary>
    /// Listens on <paramref name="endpoint"/> for RTU frames carried over TCP (as serial-to-Ethernet converters in
    /// transparent mode do); each connection is served as one serial line.
    /// </summary>
    public IPEndPoint StartRtuOverTcp(IPEndPoint endpoint) => Listen(endpoint, rtu: true);

    /// <summary>Serves RTU frames read from <paramref name="stream"/> until it ends or <paramref name="cancellationToken"/> fires.</summary>
    public async Task ServeRtuAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var ct = linked.Token;
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: ModbusLimits.MaxRtuAduLength, leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(ct).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (buffer.Length >= ModbusLimits.MinRtuAduLength)
                {
                    ModbusRtuFrame? frame;
                    try
                    {
                        if (!ModbusRtuFraming.TryDecode(ref buffer, ModbusFrameDirection.Request, out frame)) break;
                    }
                    catch (ModbusProtocolException)
                    {
                        // Noise, a frame for a function we cannot delimit, or a CRC error: skip a byte and look again.
                        buffer = buffer.Slice(1);
                        continue;
                    }

                    // §2.2: a broadcast (address 0) is a write executed by every slave and answered by none.
                    if (frame!.Address == 0 && frame.Pdu[0] is >= 1 and <= 4) continue;
                    var reply = await AnswerAsync(frame.Address, frame.Pdu, ct).ConfigureAwait(false);
                    if (reply is null || frame.Address == 0) continue;
                    var adu = new ArrayBufferWriter<byte>(ModbusLimits.MaxRtuAduLength);
                    ModbusRtuFraming.Encode(frame.Address, reply.WrittenSpan, adu);
                    await stream.WriteAsync(adu.WrittenMemory, ct).ConfigureAwait(false);
                    await stream.FlushAsync(ct).ConfigureAwait(false);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted) break;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
            // The line went away; the caller sees the task end.
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops listening and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        Task[] tasks;
        lock (_gate) tasks = [.. _tasks];
        await Task.WhenAll(tasks).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _listener?.Dispose();
        _stopping.Dispose();
    }

    private void Track(Task task)
    {
        lock (_gate)
        {
            _tasks.RemoveAll(t => t.IsCompleted);
            _tasks.Add(task);
        }
    }

    private IPEndPoint Listen(IPEndPoint endpoint, bool rtu)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (_listener is not null) throw new InvalidOperationException("already listening");
        _listener = new TcpListener(endpoint);
        _listener.Start();
        Track(AcceptLoopAsync(_listener, rtu));
        return (IPEndPoint)_listener.LocalEndpoint;
    }

    private async Task ServeRtuClientAsync(TcpClient client)
    {
        using var _ = client;
        await using var stream = client.GetStream();
        await ServeRtuAsync(stream, _stopping.Token).ConfigureAwait(false);
    }

    private async Task AcceptLoopAsync(TcpListener listener, bool rtu)
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(_stopping.Token).ConfigureAwait(false);
                client.NoDelay = true;
                Track(rtu ? ServeRtuClientAsync(client) : ServeTcpClientAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeTcpClientAsync(TcpClient client)
    {
        using var _ = client;
        var ct = _stopping.Token;
        var stream = client.GetStream();
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(ct).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (ModbusTcpFraming.TryDecode(ref buffer, out var frame))
                {
                    var reply = await AnswerAsync(frame!.UnitId, frame.Pdu, ct).ConfigureAwait(false);
                    if (reply is null) continue;
                    var adu = new ArrayBufferWriter<byte>(ModbusLimits.MaxTcpAduLength);
                    ModbusTcpFraming.Encode(frame.TransactionId, frame.UnitId, reply.WrittenSpan, adu);
                    await stream.WriteAsync(adu.WrittenMemory, ct).ConfigureAwait(false);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted) break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ModbusProtocolException)
        {
            // A broken MBAP header cannot be resynchronised (TCP/IP guide §4.4.2): close this connection only.
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task<ArrayBufferWriter<byte>?> AnswerAsync(byte unitId, byte[] pdu, CancellationToken ct)
    {
        var model = _units(unitId);
        if (model is null) return null;
        if (ResponseDelay is { } delayOf)
        {
            ModbusRequest? request = null;
            try
            {
                request = ModbusPdu.DecodeRequest(pdu);
            }
            catch (ModbusProtocolException)
            {
                // Answered with an exception below; the delay sees no request.
            }

            var delay = delayOf(unitId, request);
            if (delay > TimeSpan.Zero) await Task.Delay(delay, ct).ConfigureAwait(false);
        }

        var response = ModbusRequestHandler.Handle(pdu, model);
        var writer = new ArrayBufferWriter<byte>(ModbusLimits.MaxPduLength);
        ModbusPdu.EncodeResponse(response, writer);
        Interlocked.Increment(ref _requests);
        return writer;
    }
}
