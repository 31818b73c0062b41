using EquipmentIoT.EdgeAgent.Buffer;
using EquipmentIoT.EdgeAgent.Health;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Telemetry.Commands;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.EdgeAgent.Publishing;

/// <summary>
/// Carries out commands from the cloud. <c>resend</c> republishes the batches of a sequence range that
/// are still on disk (acknowledged ones are kept for the configured retention) and replies with what
/// it sent and which sub-ranges are gone. Bad commands get a logged, counted rejection, never a crash.
/// </summary>
public sealed partial class CommandDispatcher
{
    private readonly DurableBuffer _buffer;
    private readonly ITelemetryTransport _transport;
    private readonly AgentCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILogger<CommandDispatcher> _logger;
    private long _rejected;

    /// <summary>Creates the dispatcher.</summary>
    public CommandDispatcher(DurableBuffer buffer, ITelemetryTransport transport, AgentCounters counters, TimeProvider time, ILogger<CommandDispatcher> logger)
    {
        _buffer = buffer;
        _transport = transport;
        _counters = counters;
        _time = time;
        _logger = logger;
    }

    /// <summary>Commands refused as malformed or unknown.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Handles one command; called by the transport.</summary>
    public async ValueTask HandleAsync(TransportCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        switch (command.Name)
        {
            case "resend":
                await ResendAsync(command.Payload, cancellationToken).ConfigureAwait(false);
                break;
            default:
                Reject(command.Name, "unknown command");
                break;
        }
    }

    private async Task ResendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var parsed = ResendCommand.Parse(payload.Span);
        if (!parsed.TryGetValue(out var request))
        {
            Reject("resend", parsed.Error);
            return;
        }

        long republished = 0;
        var unavailable = new List<SeqRange>();
        try
        {
            // In order, a few at a time: the client's in-flight window does the pacing. Big ranges come
            // from the buffer in slices (ContinueFrom) so memory stays bounded.
            var pending = new Queue<Task>();
            for (long? from = request.From; from is { } f;)
            {
                var range = await _buffer.ReadRangeAsync(request.Stream, f, request.To, cancellationToken).ConfigureAwait(false);
                unavailable.AddRange(range.Unavailable);
                foreach (var record in range.Records)
                {
                    pending.Enqueue(_transport.PublishTelemetryAsync(record.Stream, record.Seq, record.Payload, cancellationToken).AsTask());
                    if (pending.Count >= 16) await pending.Dequeue().ConfigureAwait(false);
                    republished++;
                }

                from = range.ContinueFrom;
            }

            while (pending.Count > 0) await pending.Dequeue().ConfigureAwait(false);
        }
        catch (MqttCommunicationException e)
        {
            LogResendInterrupted(_logger, request.Stream, request.From, request.To, e.Message);
            return;
        }

        _counters.Resent(republished);
        LogResent(_logger, request.Stream, request.From, request.To, republished, unavailable.Count);
        var reply = new ResendReply(request.Stream, request.From, request.To, republished, unavailable);
        await _transport.PublishReplyAsync("resend", reply.ToUtf8(), cancellationToken).ConfigureAwait(false);
    }

    private void Reject(string command, string? why)
    {
        Interlocked.Increment(ref _rejected);
        _counters.Error(_time, $"rejected command {command}: {why}");
        LogRejected(_logger, command, why);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resent {Stream} {From}..{To}: {Republished} batches republished, {Gaps} sub-ranges no longer on disk")]
    private static partial void LogResent(ILogger logger, string stream, long from, long to, long republished, int gaps);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resend of {Stream} {From}..{To} interrupted: {Reason}")]
    private static partial void LogResendInterrupted(ILogger logger, string stream, long from, long to, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected command {Command}: {Why}")]
    private static partial void LogRejected(ILogger logger, string command, string? why);
}
