using EquipmentIoT.Protocols.AzureIotHub;
using EquipmentIoT.Protocols.Mqtt.Topics;

namespace EquipmentIoT.Protocols.Tests.AzureIotHub;

/// <summary>Topics, client id and user name of "Communicate with an IoT hub using the MQTT protocol".</summary>
public sealed class IotHubMqttConventionsTests
{
    public static TheoryData<string> HostileDeviceIds => new()
    {
        "dev 1", "dev/1", "dev&1", "dev#1", "dev+1", "张三的CT", "dev\u00001", "", new string('a', 129), "dév",
    };

    public static TheoryData<string> HostileValues => new()
    {
        "two words", "a&b", "k=v", "a/b/c", "#+", "张三", "CT 头部 for ZHANG^SAN", "100%", "?x", "$.ct", "\t\n", "😀",
    };

    [Fact]
    public void UserNameAndClientId_DocumentedForm()
    {
        Assert.Equal("contoso.azure-devices.net/MyDevice01/?api-version=2021-04-12",
            IotHubMqttConventions.UserName("contoso.azure-devices.net", "MyDevice01"));
        Assert.Equal("contoso.azure-devices.net/MyDevice01/?api-version=2020-09-30",
            IotHubMqttConventions.UserName("contoso.azure-devices.net", "MyDevice01", "2020-09-30"));
        Assert.Equal("MyDevice01", IotHubMqttConventions.ClientId("MyDevice01"));
        Assert.Equal(8883, IotHubMqttConventions.Port);
    }

    [Fact]
    public void TelemetryTopic_OurProperties_EncodedAsDocumented()
    {
        var bag = new IotHubPropertyBag()
            .Add("stream", "events").Add("seq", "42")
            .Add(IotHubPropertyBag.ContentType, IotHubMqttConventions.JoseContentType)
            .Add(IotHubPropertyBag.ContentEncoding, IotHubMqttConventions.Utf8ContentEncoding);

        Assert.Equal("devices/ct-01/messages/events/stream=events&seq=42&$.ct=application%2fjose&$.ce=utf-8",
            IotHubMqttConventions.TelemetryTopic("ct-01", bag));
        Assert.Equal("devices/ct-01/messages/events/", IotHubMqttConventions.TelemetryTopic("ct-01"));
    }

    [Theory]
    [MemberData(nameof(HostileValues))]
    public void TelemetryTopic_HostileValue_StaysOneValidTopicLevelAndRoundTrips(string value)
    {
        var topic = IotHubMqttConventions.TelemetryTopic("ct-01", new IotHubPropertyBag().Add("note", value).Add("k&=/", value));

        Assert.Null(MqttTopic.ValidateName(topic));
        var bag = topic["devices/ct-01/messages/events/".Length..];
        Assert.DoesNotContain('/', bag);
        Assert.Equal(2, bag.Split('&').Length);
        var parsed = IotHubPropertyBag.Parse(bag);
        Assert.True(parsed.Success, parsed.Error);
        Assert.Equal([new("note", value), new("k&=/", value)], parsed.Value.Properties);
    }

    [Fact]
    public void Encode_NonAscii_LowerCaseUtf8Escapes()
    {
        Assert.Equal("%e5%bc%a0%e4%b8%89%20a%26b%3dc%2f", IotHubUrlEncoding.Encode("张三 a&b=c/"));
        Assert.Equal("Az09-._~", IotHubUrlEncoding.Encode("Az09-._~"));
    }

    [Theory]
    [InlineData("%e5%bc%a0%E4%B8%89", "张三")]
    [InlineData("a+b%20c", "a b c")]
    [InlineData("plain", "plain")]
    public void Decode_EitherCaseAndPlus_Decodes(string encoded, string expected)
    {
        Assert.Equal(expected, IotHubUrlEncoding.Decode(encoded).Value);
    }

    [Theory]
    [InlineData("%")]
    [InlineData("%4")]
    [InlineData("%zz")]
    [InlineData("%ff%fe")]
    public void Decode_BrokenEscapeOrNotUtf8_Fails(string encoded)
    {
        Assert.False(IotHubUrlEncoding.Decode(encoded).Success);
    }

    [Theory]
    [MemberData(nameof(HostileDeviceIds))]
    public void EveryBuilder_DeviceIdIoTHubRefuses_Throws(string deviceId)
    {
        Assert.NotNull(IotHubIdentifiers.ValidateDeviceId(deviceId));
        Assert.Throws<ArgumentException>(() => IotHubMqttConventions.ClientId(deviceId));
        Assert.Throws<ArgumentException>(() => IotHubMqttConventions.UserName("h.azure-devices.net", deviceId));
        Assert.Throws<ArgumentException>(() => IotHubMqttConventions.TelemetryTopic(deviceId));
        Assert.Throws<ArgumentException>(() => IotHubMqttConventions.CloudToDeviceFilter(deviceId));
        Assert.Throws<ArgumentException>(() => IotHubMqttConventions.ParseCloudToDeviceTopic("devices/x/messages/devicebound/", deviceId));
    }

    [Theory]
    [InlineData("dev-01")]
    [InlineData("a.b_c")]
    [InlineData("%*?!(),:=@$'")]
    public void Builders_EverySpecialCharacterIoTHubAllows_MakeValidTopicsAndFilters(string deviceId)
    {
        Assert.Null(IotHubIdentifiers.ValidateDeviceId(deviceId));
        Assert.Null(MqttTopic.ValidateName(IotHubMqttConventions.TelemetryTopic(deviceId)));
        Assert.Null(MqttTopic.ValidateFilter(IotHubMqttConventions.CloudToDeviceFilter(deviceId)));
        Assert.Equal($"devices/{deviceId}/messages/devicebound/#", IotHubMqttConventions.CloudToDeviceFilter(deviceId));
        Assert.True(IotHubMqttConventions.ParseCloudToDeviceTopic($"devices/{deviceId}/messages/devicebound/command=resend", deviceId).Success);
    }

    [Theory]
    [InlineData("https://x")]
    [InlineData("x.azure-devices.net:8883")]
    [InlineData("x.azure-devices.net/a")]
    [InlineData("")]
    public void UserName_HostNameNotADnsName_Throws(string hostName)
    {
        Assert.Throws<ArgumentException>(() => IotHubMqttConventions.UserName(hostName, "d"));
    }

    [Fact]
    public void ParseCloudToDeviceTopic_OurCommand_ReturnsIt()
    {
        var parsed = IotHubMqttConventions.ParseCloudToDeviceTopic("devices/ct-01/messages/devicebound/command=resend", "ct-01");

        Assert.True(parsed.Success, parsed.Error);
        Assert.True(parsed.Value.TryGetValue("command", out var command));
        Assert.Equal("resend", command);
    }

    [Fact]
    public void ParseCloudToDeviceTopic_AsIoTHubSendsIt_DecodesSystemAndApplicationProperties()
    {
        // IoT Hub percent-encodes the '$' of system properties in what it delivers.
        const string topic = "devices/ct-01/messages/devicebound/%24.mid=5f2c&%24.to=%2Fdevices%2Fct-01%2Fmessages%2FdeviceBound"
                             + "&iothub-ack=full&command=resend&note=%E5%BC%A0%20%26%3D";

        var parsed = IotHubMqttConventions.ParseCloudToDeviceTopic(topic, "ct-01");

        Assert.True(parsed.Success, parsed.Error);
        Assert.True(parsed.Value.TryGetValue(IotHubPropertyBag.MessageId, out var mid));
        Assert.Equal("5f2c", mid);
        Assert.True(parsed.Value.TryGetValue("$.to", out var to));
        Assert.Equal("/devices/ct-01/messages/deviceBound", to);
        Assert.True(parsed.Value.TryGetValue("note", out var note));
        Assert.Equal("张 &=", note);
        Assert.True(parsed.Value.TryGetValue("command", out var command));
        Assert.Equal("resend", command);
    }

    [Fact]
    public void ParseCloudToDeviceTopic_NullEmptyAndValue_AsTheArticleShows()
    {
        var parsed = IotHubMqttConventions.ParseCloudToDeviceTopic("devices/d/messages/devicebound/?prop1&prop2=&prop3=a%20string", "d");

        Assert.True(parsed.Success, parsed.Error);
        Assert.Equal([new("prop1", null), new("prop2", ""), new("prop3", "a string")], parsed.Value.Properties);
    }

    [Theory]
    [InlineData("devices/d/messages/devicebound", 0)]
    [InlineData("devices/d/messages/devicebound/", 0)]
    public void ParseCloudToDeviceTopic_NoProperties_EmptyBag(string topic, int count)
    {
        Assert.Equal(count, IotHubMqttConventions.ParseCloudToDeviceTopic(topic, "d").Value.Count);
    }

    [Theory]
    [InlineData("devices/other/messages/devicebound/command=resend", "not a cloud-to-device topic of device 'd'")]
    [InlineData("devices/d/messages/deviceboundx/command=resend", "not a cloud-to-device topic")]
    [InlineData("devices/d/messages/events/command=resend", "not a cloud-to-device topic")]
    [InlineData("devices/d/messages/devicebound/command=re/send", "a property bag is one topic level")]
    [InlineData("devices/d/messages/devicebound/command=%zz", "bad percent-escape")]
    [InlineData("devices/d/messages/devicebound/=resend", "empty property name")]
    public void ParseCloudToDeviceTopic_Foreign_FailsWithReason(string topic, string reason)
    {
        var parsed = IotHubMqttConventions.ParseCloudToDeviceTopic(topic, "d");

        Assert.False(parsed.Success);
        Assert.Contains(reason, parsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TwinTopics_DocumentedForm()
    {
        Assert.Equal("$iothub/twin/PATCH/properties/reported/?$rid=7", IotHubMqttConventions.TwinReportedPatchTopic(7));
        Assert.Equal("$iothub/twin/PATCH/properties/reported/?$rid=a%20b", IotHubMqttConventions.TwinReportedPatchTopic("a b"));
        Assert.Equal("$iothub/twin/res/#", IotHubMqttConventions.TwinResponseFilter);
        Assert.Null(MqttTopic.ValidateName(IotHubMqttConventions.TwinReportedPatchTopic(long.MaxValue)));
    }

    [Fact]
    public void ParseTwinResponseTopic_Success_StatusRidAndVersion()
    {
        var parsed = IotHubMqttConventions.ParseTwinResponseTopic("$iothub/twin/res/204/?$rid=1&$version=6");

        Assert.True(parsed.Success, parsed.Error);
        Assert.Equal(new IotHubTwinResponse(204, "1", 6), parsed.Value);
        Assert.True(parsed.Value.IsSuccess);
    }

    [Theory]
    [InlineData("$iothub/twin/res/429/?$rid=9", 429, true)]
    [InlineData("$iothub/twin/res/503/?%24rid=9", 503, true)]
    [InlineData("$iothub/twin/res/400/?$rid=9", 400, false)]
    public void ParseTwinResponseTopic_Refusals_ClassifiedTransientOrNot(string topic, int status, bool transient)
    {
        var parsed = IotHubMqttConventions.ParseTwinResponseTopic(topic);

        Assert.True(parsed.Success, parsed.Error);
        Assert.Equal(status, parsed.Value.Status);
        Assert.Equal("9", parsed.Value.RequestId);
        Assert.Null(parsed.Value.Version);
        Assert.False(parsed.Value.IsSuccess);
        Assert.Equal(transient, parsed.Value.IsTransient);
    }

    [Theory]
    [InlineData("$iothub/twin/PATCH/properties/desired/?$version=2", "not a twin response topic")]
    [InlineData("$iothub/twin/res//?$rid=1", "no status")]
    [InlineData("$iothub/twin/res/2x4/?$rid=1", "not a three-digit number")]
    [InlineData("$iothub/twin/res/204/?$version=6", "request id ($rid) is missing")]
    [InlineData("$iothub/twin/res/204/?$rid=1&$version=six", "$version is not a number")]
    [InlineData("$iothub/twin/res/204", "no status")]
    public void ParseTwinResponseTopic_Malformed_FailsWithReason(string topic, string reason)
    {
        var parsed = IotHubMqttConventions.ParseTwinResponseTopic(topic);

        Assert.False(parsed.Success);
        Assert.Contains(reason, parsed.Error, StringComparison.Ordinal);
    }
}
