using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using EquipmentIoT.EdgeAgent.Buffer;
using EquipmentIoT.EdgeAgent.Health;
using EquipmentIoT.EdgeAgent.Publishing;
using EquipmentIoT.EdgeAgent.Tests.Buffer;
using Microsoft.Extensions.Logging.Abstractions;

namespace EquipmentIoT.EdgeAgent.Tests.Publishing;

/// <summary>
/// Commands from the cloud over a real buffer: a resend republishes what is still on disk, in order,
/// and replies with what it sent and what is gone; a bad or unknown command is refused and counted.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class CommandDispatcherTests
{
    [Fact]
    public async Task HandleAsync_ResendOfBatchesOnDisk_RepublishedInOrderAndReplied()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        await BufferTestContext.AppendRangeAsync(buffer, BufferStreams.Events, 1, 10);
        var (dispatcher, transport, counters) = Dispatcher(context, buffer);

        await dispatcher.HandleAsync(Command("resend", """{"stream":"events","from":3,"to":7}"""), CancellationToken.None);

        Assert.Equal(BufferTestContext.Seqs(3, 7), transport.Seqs(BufferStreams.Events));
        Assert.All(transport.Publishes, p => Assert.Equal(TestRecords.Payload(p.Seq), p.Payload));
        var reply = Reply(transport);
        Assert.Equal("events", reply.GetProperty("stream").GetString());
        Assert.Equal(3, reply.GetProperty("from").GetInt64());
        Assert.Equal(7, reply.GetProperty("to").GetInt64());
        Assert.Equal(5, reply.GetProperty("republished").GetInt64());
        Assert.Equal(0, reply.GetProperty("unavailable").GetArrayLength());
        Assert.Equal(5, counters.ResentBatches);
        Assert.Equal(0, dispatcher.Rejected);
        // A resend does not move the send cursor: the forwarder still starts at 1.
        Assert.True(buffer.TryReadNextUnsent(BufferStreams.Events, out var next));
        Assert.Equal(1, next.Seq);
    }

    [Fact]
    public async Task HandleAsync_ResendPartlyGone_RepublishesTheRestAndNamesTheMissingRanges()
    {
        await using var context = new BufferTestContext();
        var options = context.Options(); // 1 KiB segments: 8 records each
        options.AcknowledgedRetention = TimeSpan.Zero;
        var buffer = context.Open(options);
        await BufferTestContext.AppendRangeAsync(buffer, BufferStreams.Metrics, 1, 20);
        for (var seq = 1; seq <= 10; seq++) buffer.Acknowledge(BufferStreams.Metrics, seq);
        buffer.RunMaintenance(); // 1..8 are acknowledged and past retention: their segment goes
        var (dispatcher, transport, counters) = Dispatcher(context, buffer);

        await dispatcher.HandleAsync(Command("resend", """{"stream":"metrics","from":1,"to":25}"""), CancellationToken.None);

        Assert.Equal(BufferTestContext.Seqs(9, 20), transport.Seqs(BufferStreams.Metrics));
        var reply = Reply(transport);
        Assert.Equal(12, reply.GetProperty("republished").GetInt64());
        var gaps = reply.GetProperty("unavailable").EnumerateArray()
            .Select(r => (r[0].GetInt64(), r[1].GetInt64())).ToList();
        Assert.Equal([(1L, 8L), (21L, 25L)], gaps);
        Assert.Equal(12, counters.ResentBatches);
    }

    [Theory]
    [InlineData("""{"stream":"events","from":""", "malformed JSON")]
    [InlineData("""{"stream":"events","from":5,"to":2}""", "to: must not be less than from")]
    [InlineData("""{"stream":"logs","from":1,"to":2}""", "stream")]
    [InlineData("""{"stream":"events","from":1,"to":2,"reboot":true}""", "unknown or duplicate member 'reboot'")]
    [InlineData("""{"stream":"events","from":1}""", "to: required member missing")]
    public async Task HandleAsync_MalformedResend_RejectedCountedAndNothingSent(string json, string reason)
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        await BufferTestContext.AppendRangeAsync(buffer, BufferStreams.Events, 1, 3);
        var (dispatcher, transport, counters) = Dispatcher(context, buffer);

        await dispatcher.HandleAsync(Command("resend", json), CancellationToken.None);

        Assert.Equal(1, dispatcher.Rejected);
        Assert.Empty(transport.Publishes);
        Assert.Empty(transport.Replies);
        Assert.Contains("rejected command resend", counters.LastError, StringComparison.Ordinal);
        Assert.Contains(reason, counters.LastError, StringComparison.Ordinal);
        Assert.Equal(0, counters.ResentBatches);
    }

    [Fact]
    public async Task HandleAsync_UnknownCommand_RejectedAndCounted()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        var (dispatcher, transport, counters) = Dispatcher(context, buffer);

        await dispatcher.HandleAsync(Command("reboot", "{}"), CancellationToken.None);
        await dispatcher.HandleAsync(Command("Resend", """{"stream":"events","from":1,"to":1}"""), CancellationToken.None);

        Assert.Equal(2, dispatcher.Rejected);
        Assert.Empty(transport.Publishes);
        Assert.Empty(transport.Replies);
        Assert.Contains("rejected command Resend: unknown command", counters.LastError, StringComparison.Ordinal);
    }

    private static (CommandDispatcher Dispatcher, FakeTransport Transport, AgentCounters Counters) Dispatcher(BufferTestContext context, DurableBuffer buffer)
    {
        var transport = new FakeTransport();
        var counters = new AgentCounters();
        return (new CommandDispatcher(buffer, transport, counters, context.Time, NullLogger<CommandDispatcher>.Instance), transport, counters);
    }

    private static TransportCommand Command(string name, string json) => new(name, Encoding.UTF8.GetBytes(json));

    private static JsonElement Reply(FakeTransport transport)
    {
        var (command, json) = Assert.Single(transport.Replies);
        Assert.Equal("resend", command);
        return JsonDocument.Parse(json).RootElement.Clone();
    }
}
