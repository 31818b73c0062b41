using EquipmentIoT.Protocols.Mqtt.Topics;

namespace EquipmentIoT.Protocols.Tests.Mqtt;

/// <summary>Topic names, filters and matching, MQTT 3.1.1 section 4.7, with the specification's own examples.</summary>
public class MqttTopicTests
{
    [Theory]
    [InlineData("sport/tennis/player1")]
    [InlineData("/")]                          // 4.7.1.1: "/" is valid: two empty levels
    [InlineData("/finance")]                   // 4.7.3
    [InlineData("finance/")]
    [InlineData("a//b")]
    [InlineData("Accounts payable")]           // 4.7.3: spaces are allowed
    [InlineData("$SYS/monitor/Clients")]       // 4.7.2: names may start with '$'
    [InlineData("设备/温度")]
    [InlineData("\U0002A6D4")]                 // supplementary plane, as in 1.5.3 figure 1.2
    public void ValidateName_Valid_ReturnsNull(string topic) => Assert.Null(MqttTopic.ValidateName(topic));

    [Theory]
    [InlineData("", "at least one character")] // 4.7.3
    [InlineData("sport/+", "'+'")]             // 4.7.1: wildcards belong in filters only
    [InlineData("sport/#", "'#'")]
    [InlineData("+", "'+'")]
    [InlineData("#", "'#'")]
    [InlineData("sport+", "'+'")]
    [InlineData("a\0b", "U+0000")]             // 1.5.3-2
    public void ValidateName_Invalid_SaysWhy(string topic, string why) =>
        Assert.Contains(why, MqttTopic.ValidateName(topic), StringComparison.Ordinal);

    [Fact]
    public void ValidateName_Exactly65535Utf8Bytes_Accepted_OneCharacterMore_Rejected()
    {
        // 1.5.3 / 4.7.3: at most 65535 bytes *encoded*: 21845 × 3-byte 温 is exactly the limit.
        Assert.Null(MqttTopic.ValidateName(new string('温', 21_845)));
        Assert.Contains("65535", MqttTopic.ValidateName(new string('温', 21_846)), StringComparison.Ordinal);
        Assert.Null(MqttTopic.ValidateName(new string('a', 65_535)));
        Assert.NotNull(MqttTopic.ValidateName(new string('a', 65_536)));
    }

    [Theory]
    [InlineData("sport/tennis/#")]             // 4.7.1.2
    [InlineData("sport/#")]
    [InlineData("#")]
    [InlineData("sport/+/player1")]            // 4.7.1.3
    [InlineData("+")]
    [InlineData("+/tennis/#")]
    [InlineData("+/+")]
    [InlineData("/+")]
    [InlineData("sport/tennis/player1")]
    [InlineData("$SYS/#")]                     // 4.7.2
    [InlineData("$share/g/a/+")]               // shared subscription: $share/{group}/{filter}
    [InlineData("$share/g/#")]
    [InlineData("$share/组/设备/+")]
    [InlineData("$share")]                     // without the trailing '/', just a topic level
    public void ValidateFilter_Valid_ReturnsNull(string filter) => Assert.Null(MqttTopic.ValidateFilter(filter));

    [Theory]
    [InlineData("sport/#/x", "'#'")]           // 4.7.1.2: '#' only as the last level
    [InlineData("sport/tennis#", "'#'")]       // 4.7.1.2: '#' fills a whole level
    [InlineData("sport/tennis/#/ranking", "'#'")]
    [InlineData("##", "'#'")]
    [InlineData("sport+", "'+'")]              // 4.7.1.3: '+' fills a whole level
    [InlineData("+a/b", "'+'")]
    [InlineData("a/++", "'+'")]
    [InlineData("$share//a", "group name")]
    [InlineData("$share/g", "group name")]
    [InlineData("$share/", "group name")]
    [InlineData("$share/g/", "filter after the group")]
    [InlineData("$share/g+/a", "group name must not contain")]
    [InlineData("$share/g#/a", "group name must not contain")]
    [InlineData("$share/g/a#", "'#'")]
    [InlineData("", "at least one character")]
    [InlineData("a\0", "U+0000")]
    public void ValidateFilter_Invalid_SaysWhy(string filter, string why) =>
        Assert.Contains(why, MqttTopic.ValidateFilter(filter), StringComparison.Ordinal);

    [Theory]
    // 4.7.1.2 multi-level wildcard examples.
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/ranking", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true)]
    [InlineData("sport/#", "sport", true)]
    [InlineData("#", "sport/tennis/player1", true)]
    [InlineData("#", "/", true)]
    // 4.7.1.3 single-level wildcard examples.
    [InlineData("sport/tennis/+", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player2", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1/ranking", false)]
    [InlineData("sport/+", "sport", false)]
    [InlineData("sport/+", "sport/", true)]
    [InlineData("+/+", "/finance", true)]
    [InlineData("/+", "/finance", true)]
    [InlineData("+", "/finance", false)]
    [InlineData("+/tennis/#", "sport/tennis/player1", true)]
    [InlineData("sport/+/player1", "sport/tennis/player1", true)]
    [InlineData("sport/+/player1", "sport/tennis/player2", false)]
    [InlineData("a/+/#", "a/b", true)]
    // 4.7.2: wildcards at the first level do not match topics starting with '$'.
    [InlineData("#", "$SYS/x", false)]
    [InlineData("+/x", "$SYS/x", false)]
    [InlineData("+/monitor/Clients", "$SYS/monitor/Clients", false)]
    [InlineData("$SYS/#", "$SYS/monitor/Clients", true)]
    [InlineData("$SYS/monitor/+", "$SYS/monitor/Clients", true)]
    [InlineData("+/#", "$SYS", false)]
    // 4.7.3: case-sensitive, and a leading '/' makes a different topic.
    [InlineData("ACCOUNTS", "Accounts", false)]
    [InlineData("Accounts payable", "Accounts payable", true)]
    [InlineData("/finance", "finance", false)]
    [InlineData("finance", "/finance", false)]
    [InlineData("sport/tennis", "sport/tennis/player1", false)]
    [InlineData("sport/tennis/player1", "sport/tennis", false)]
    // Shared subscriptions match as their inner filter, the '$' rule included.
    [InlineData("$share/g/sport/+", "sport/tennis", true)]
    [InlineData("$share/g/#", "$SYS/x", false)]
    [InlineData("设备/+/温度", "设备/ct1/温度", true)]
    public void Matches_FilterAndTopic_AsSection47Says(string filter, string topic, bool expected) =>
        Assert.Equal(expected, MqttTopic.Matches(filter, topic));

    [Theory]
    [InlineData("$share/g/a/b", true, "g", "a/b")]
    [InlineData("$share/group-1/#", true, "group-1", "#")]
    [InlineData("sport/#", false, "", "")]
    [InlineData("$share/g", false, "", "")]
    [InlineData("$share//a", false, "", "")]
    [InlineData("$share/g/", false, "", "")]
    public void TryParseShared_SharedOrPlainFilter_SplitsGroupAndInnerFilter(string filter, bool shared, string group, string inner)
    {
        Assert.Equal(shared, MqttTopic.TryParseShared(filter, out var g, out var f));
        Assert.Equal(group, g);
        Assert.Equal(inner, f);
    }
}
