using System.Text;
using EquipmentIoT.Protocols.Telemetry.Commands;
using static EquipmentIoT.Protocols.Tests.Telemetry.TelemetryBatchWriterTests;

namespace EquipmentIoT.Protocols.Tests.Telemetry;

/// <summary>The resend command and its reply (SPEC.md §commands): golden JSON, round trips, refusals with reasons.</summary>
public class ResendCommandTests
{
    private static byte[] J(string singleQuoted) => Encoding.UTF8.GetBytes(Q(singleQuoted));

    [Fact]
    public void Command_WriteThenParse_GoldenJsonAndSameCommand()
    {
        var command = new ResendCommand("metrics", 10, 20);
        Assert.Equal(Q("{'stream':'metrics','from':10,'to':20}"), Encoding.UTF8.GetString(command.ToUtf8()));
        Assert.Equal(command, ResendCommand.Parse(command.ToUtf8()).Value);
        Assert.Equal("resend", ResendCommand.Name);
    }

    [Fact]
    public void Reply_WriteThenParse_GoldenJsonAndSameReply()
    {
        var reply = new ResendReply("metrics", 10, 20, 9, [new SeqRange(10, 10), new SeqRange(15, 15)]);
        Assert.Equal(Q("{'stream':'metrics','from':10,'to':20,'republished':9,'unavailable':[[10,10],[15,15]]}"), Encoding.UTF8.GetString(reply.ToUtf8()));
        var back = ResendReply.Parse(reply.ToUtf8()).Value;
        Assert.Equal((reply.Stream, reply.From, reply.To, reply.Republished), (back.Stream, back.From, back.To, back.Republished));
        Assert.Equal(reply.Unavailable, back.Unavailable);
    }

    [Fact]
    public void Reply_SpecExample_Parses()
    {
        var reply = ResendReply.Parse(J("{'stream':'metrics','from':10,'to':20,'republished':11,'unavailable':[]}"));
        Assert.True(reply.Success, reply.Error);
        Assert.True(ResendReply.Parse(J("{'stream':'events','from':10,'to':20,'republished':10,'unavailable':[[10,10]]}")).Success);
    }

    [Theory]
    [InlineData("{'stream':'metrics','from':20,'to':10}", "to: must not be less than from")]
    [InlineData("{'stream':'metrics','from':1,'to':100001}", "to: a resend covers at most 100000 batches; this one covers 100001")]
    [InlineData("{'stream':'metrics','from':0,'to':5}", "from: must be an integer from 1 to 2^53-1")]
    [InlineData("{'stream':'metrics','from':-1,'to':5}", "from: must be an integer from 1 to 2^53-1")]
    [InlineData("{'stream':'metrics','from':1.5,'to':5}", "from: must be an integer from 1 to 2^53-1")]
    [InlineData("{'stream':'logs','from':1,'to':5}", "stream: must be \"metrics\" or \"events\"")]
    [InlineData("{'from':1,'to':5}", "stream: required member missing")]
    [InlineData("{'stream':'metrics','to':5}", "from: required member missing")]
    [InlineData("{'stream':'metrics','from':1}", "to: required member missing")]
    [InlineData("{'stream':'metrics','from':1,'to':5,'all':true}", "resend: unknown or duplicate member 'all'")]
    [InlineData("{'stream':'metrics','from':1,'from':2,'to':5}", "resend: unknown or duplicate member 'from'")]
    [InlineData("{'stream':'metrics','from':1,'to':5", "resend: malformed JSON")]
    [InlineData("[1,5]", "resend: must be a JSON object")]
    public void Command_Invalid_RefusedWithReason(string json, string reason) => Assert.Equal(reason, ResendCommand.Parse(J(json)).Error);

    [Fact]
    public void Command_Exactly100000Batches_Accepted() => Assert.True(ResendCommand.Parse(J("{'stream':'events','from':1,'to':100000}")).Success);

    [Fact]
    public void Command_Oversized_Refused() =>
        Assert.Equal("resend: 5000 bytes, more than the limit of 4096", ResendCommand.Parse(new byte[5000]).Error);

    [Theory]
    [InlineData("{'stream':'metrics','from':10,'to':20,'republished':11,'unavailable':[[9,9]]}", "unavailable[0]: ranges must lie within from..to, ascending and disjoint")]
    [InlineData("{'stream':'metrics','from':10,'to':20,'republished':1,'unavailable':[[12,13],[13,14]]}", "unavailable[1]: ranges must lie within")]
    [InlineData("{'stream':'metrics','from':10,'to':20,'republished':1,'unavailable':[[14,13]]}", "unavailable[0]: ranges must lie within")]
    [InlineData("{'stream':'metrics','from':10,'to':20,'republished':11,'unavailable':[[10,10]]}", "republished: 11 plus 1 unavailable is more than the 11 batches asked for")]
    [InlineData("{'stream':'metrics','from':10,'to':20,'republished':1,'unavailable':[[10]]}", "unavailable[0][1]: must be an integer")]
    [InlineData("{'stream':'metrics','from':10,'to':20,'republished':1,'unavailable':[[10,11,12]]}", "unavailable[0]: must be a [from,to] pair")]
    [InlineData("{'stream':'metrics','from':10,'to':20,'republished':1,'unavailable':[10]}", "unavailable[0]: must be a [from,to] pair")]
    [InlineData("{'stream':'metrics','from':10,'to':20,'republished':1}", "unavailable: required member missing")]
    [InlineData("{'stream':'metrics','from':10,'to':20,'unavailable':[]}", "republished: required member missing")]
    public void Reply_Invalid_RefusedWithReason(string json, string reason) =>
        Assert.StartsWith(reason, ResendReply.Parse(J(json)).Error, StringComparison.Ordinal);

    [Fact]
    public void Write_InvalidCommand_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ResendCommand("metrics", 5, 1).ToUtf8());
        Assert.Throws<ArgumentException>(() => new ResendReply("metrics", 1, 5, 6, []).ToUtf8());
    }
}
