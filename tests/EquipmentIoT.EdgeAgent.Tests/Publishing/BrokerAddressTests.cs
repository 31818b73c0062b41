using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Publishing;

namespace EquipmentIoT.EdgeAgent.Tests.Publishing;

/// <summary>Broker addresses from configuration and the command line: four schemes, default ports, and a reason for anything else.</summary>
[SupportedOSPlatform("linux")]
public sealed class BrokerAddressTests
{
    [Theory]
    [InlineData("mqtt://broker.hospital.local", "broker.hospital.local", 1883, false)]
    [InlineData("mqtts://broker.hospital.local", "broker.hospital.local", 8883, true)]
    [InlineData("tcp://10.1.2.3", "10.1.2.3", 1883, false)]
    [InlineData("ssl://10.1.2.3", "10.1.2.3", 8883, true)]
    [InlineData("mqtt://127.0.0.1:1884", "127.0.0.1", 1884, false)]
    [InlineData("mqtts://broker:443/", "broker", 443, true)]
    [InlineData("MQTTS://Broker.Example", "broker.example", 8883, true)]
    public void Parse_SupportedAddress_HostPortAndTls(string text, string host, int port, bool tls)
    {
        var address = BrokerAddress.Parse(text);

        Assert.Equal(new BrokerAddress(host, port, tls), address);
    }

    [Theory]
    [InlineData("mqtt://h", "mqtt://h:1883")]
    [InlineData("ssl://h:9000", "mqtts://h:9000")]
    public void ToString_AnyScheme_CanonicalForm(string text, string expected)
    {
        Assert.Equal(expected, BrokerAddress.Parse(text).ToString());
    }

    [Theory]
    [InlineData("mqtt://broker/telemetry", "no path, query or credentials")]
    [InlineData("mqtt://broker?clientId=x", "no path, query or credentials")]
    [InlineData("http://broker", "unknown scheme 'http'")]
    [InlineData("wss://broker", "unknown scheme 'wss'")]
    [InlineData("broker:1883", "is not a broker address")]
    [InlineData("broker.hospital.local", "is not a broker address")]
    [InlineData("", "is not a broker address")]
    [InlineData("mqtt://", "is not a broker address")]
    public void Parse_Unsupported_FormatExceptionWithTheReason(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => BrokerAddress.Parse(text));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UserInfo_ReasonSaysWhereCredentialsBelong()
    {
        var error = Assert.Throws<FormatException>(() => BrokerAddress.Parse("mqtts://agent:secret@broker:8883"));

        Assert.Contains("put credentials in the configuration", error.Message, StringComparison.Ordinal);
        // The message ends up in logs: it must not repeat the password.
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mqtt://broker:0")]
    [InlineData("mqtts://broker:0")]
    public void Parse_PortZero_RejectedWithTheReason(string text)
    {
        // No broker listens on port 0: the address must fail validation at start, not connect forever in vain.
        var error = Assert.Throws<FormatException>(() => BrokerAddress.Parse(text));

        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
    }
}
