using EquipmentIoT.Protocols.Mqtt.Topics;
using EquipmentIoT.Protocols.Telemetry.Topics;

namespace EquipmentIoT.Protocols.Tests.Telemetry;

/// <summary>Topic names of SPEC.md §topics: built, validated, parsed back, and matched by the MQTT filters.</summary>
public class TelemetryTopicsTests
{
    [Fact]
    public void Builders_AgentTopics_AsSpecified()
    {
        Assert.Equal("eq/v1/agent-01/telemetry", TelemetryTopics.Telemetry("agent-01"));
        Assert.Equal("eq/v1/agent-01/state", TelemetryTopics.State("agent-01"));
        Assert.Equal("eq/v1/agent-01/cmd/resend", TelemetryTopics.Command("agent-01", "resend"));
        Assert.Equal("eq/v1/agent-01/cmd/#", TelemetryTopics.CommandFilter("agent-01"));
        Assert.Equal("eq/v1/agent-01/reply/resend", TelemetryTopics.Reply("agent-01", "resend"));
        Assert.Equal("$share/ingest/eq/v1/+/telemetry", TelemetryTopics.Shared("ingest", TelemetryTopics.AllTelemetry));
    }

    [Fact]
    public void Filters_MatchTheTopicsTheyAreFor()
    {
        Assert.True(MqttTopic.Matches(TelemetryTopics.AllTelemetry, TelemetryTopics.Telemetry("a.b_c-1")));
        Assert.False(MqttTopic.Matches(TelemetryTopics.AllTelemetry, TelemetryTopics.State("a")));
        Assert.True(MqttTopic.Matches(TelemetryTopics.CommandFilter("a"), TelemetryTopics.Command("a", "resend")));
        Assert.False(MqttTopic.Matches(TelemetryTopics.CommandFilter("a"), TelemetryTopics.Command("b", "resend")));
        Assert.True(MqttTopic.Matches(TelemetryTopics.AllReplies, TelemetryTopics.Reply("a", "resend")));
        Assert.True(MqttTopic.Matches(TelemetryTopics.AllState, TelemetryTopics.State("a")));
        Assert.Null(MqttTopic.ValidateFilter(TelemetryTopics.Shared("g", TelemetryTopics.AllTelemetry)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a+b")]
    [InlineData("a#")]
    [InlineData("agent 01")]
    [InlineData("mr:01")]
    [InlineData("代理")]
    public void ValidateAgentId_Invalid_SaysWhyAndBuildersThrow(string agentId)
    {
        Assert.Equal("an agent id must be 1 to 64 characters from [A-Za-z0-9._-]", TelemetryTopics.ValidateAgentId(agentId));
        Assert.Throws<ArgumentException>(() => TelemetryTopics.Telemetry(agentId));
    }

    [Fact]
    public void ValidateAgentId_Bounds()
    {
        Assert.Null(TelemetryTopics.ValidateAgentId(new string('a', 64)));
        Assert.NotNull(TelemetryTopics.ValidateAgentId(new string('a', 65)));
        Assert.NotNull(TelemetryTopics.ValidateAgentId(null));
    }

    [Theory]
    [InlineData("Resend")]
    [InlineData("re/send")]
    [InlineData("1resend")]
    [InlineData("")]
    [InlineData("#")]
    public void Command_InvalidName_Throws(string command) =>
        Assert.Throws<ArgumentException>(() => TelemetryTopics.Command("agent-01", command));

    [Theory]
    [InlineData("eq/v1/agent-01/telemetry", "agent-01", TelemetryTopicKind.Telemetry, null)]
    [InlineData("eq/v1/agent-01/state", "agent-01", TelemetryTopicKind.State, null)]
    [InlineData("eq/v1/A.b_c-9/cmd/resend", "A.b_c-9", TelemetryTopicKind.Command, "resend")]
    [InlineData("eq/v1/x/reply/resend", "x", TelemetryTopicKind.Reply, "resend")]
    public void TryParse_ValidTopic_AgentKindCommand(string topic, string agent, TelemetryTopicKind kind, string? command)
    {
        Assert.True(TelemetryTopics.TryParse(topic, out var parsed));
        Assert.Equal(new TelemetryTopic(agent, kind, command), parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("eq/v2/agent-01/telemetry")]
    [InlineData("eq/v1/agent-01/telemetry/extra")]
    [InlineData("eq/v1//telemetry")]
    [InlineData("eq/v1/agent 01/telemetry")]
    [InlineData("eq/v1/agent-01/cmd/")]
    [InlineData("eq/v1/agent-01/cmd/re/send")]
    [InlineData("eq/v1/agent-01/cmd/#")]
    [InlineData("eq/v1/agent-01/Telemetry")]
    [InlineData("/eq/v1/agent-01/telemetry")]
    [InlineData("eq/v1/agent-01")]
    public void TryParse_OtherTopic_False(string? topic) => Assert.False(TelemetryTopics.TryParse(topic, out _));

    [Fact]
    public void Shared_GroupWithSlash_Throws() =>
        Assert.Throws<ArgumentException>(() => TelemetryTopics.Shared("a/b", TelemetryTopics.AllTelemetry));
}
