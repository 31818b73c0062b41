using EquipmentIoT.Protocols.AzureIotHub;

namespace EquipmentIoT.Protocols.Tests.AzureIotHub;

public sealed class IotHubConnectionStringTests
{
    private const string Key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    [Fact]
    public void Parse_PortalForm_ReturnsHostDeviceAndDecodedKey()
    {
        var parsed = IotHubConnectionString.Parse($"HostName=contoso.azure-devices.net;DeviceId=ct-01;SharedAccessKey={Key}");

        Assert.True(parsed.Success, parsed.Error);
        Assert.Equal("contoso.azure-devices.net", parsed.Value.HostName);
        Assert.Equal("ct-01", parsed.Value.DeviceId);
        Assert.Equal(Convert.FromBase64String(Key), parsed.Value.SharedAccessKey.ToArray());
        Assert.Null(parsed.Value.SharedAccessKeyName);
        Assert.False(parsed.Value.UsesX509);
    }

    [Fact]
    public void Parse_AnyCaseSpacesAndTrailingSemicolon_Accepted()
    {
        var parsed = IotHubConnectionString.Parse($" hostname = contoso.azure-devices.net ;DEVICEID=ct-01; sharedaccesskey={Key};;");

        Assert.True(parsed.Success, parsed.Error);
        Assert.Equal("ct-01", parsed.Value.DeviceId);
    }

    [Fact]
    public void Parse_PolicyKey_KeepsItsName()
    {
        var parsed = IotHubConnectionString.Parse($"HostName=h.azure-devices.net;DeviceId=d;SharedAccessKeyName=device;SharedAccessKey={Key}");

        Assert.Equal("device", parsed.Value.SharedAccessKeyName);
    }

    [Fact]
    public void Parse_X509_NeedsNoKey()
    {
        var parsed = IotHubConnectionString.Parse("HostName=h.azure-devices.net;DeviceId=d;x509=true");

        Assert.True(parsed.Success, parsed.Error);
        Assert.True(parsed.Value.UsesX509);
        Assert.True(parsed.Value.SharedAccessKey.IsEmpty);
        Assert.Equal("HostName=h.azure-devices.net;DeviceId=d;x509=true", parsed.Value.ToString());
    }

    [Fact]
    public void ToString_NeverShowsTheKey()
    {
        var parsed = IotHubConnectionString.Parse($"HostName=h.azure-devices.net;DeviceId=d;SharedAccessKey={Key}");

        Assert.Equal("HostName=h.azure-devices.net;DeviceId=d;SharedAccessKey=***", parsed.Value.ToString());
        Assert.DoesNotContain("AAECAw", parsed.Value.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("  ", "empty")]
    [InlineData("DeviceId=d;SharedAccessKey=" + Key, "HostName is missing")]
    [InlineData("HostName=;DeviceId=d;SharedAccessKey=" + Key, "HostName is missing")]
    [InlineData("HostName=h.azure-devices.net;SharedAccessKey=" + Key, "DeviceId is missing")]
    [InlineData("HostName=h.azure-devices.net;DeviceId=d", "SharedAccessKey is missing")]
    [InlineData("HostName=h.azure-devices.net;DeviceId=d;SharedAccessKey=not base64!", "not base64")]
    [InlineData("HostName=h.azure-devices.net;HostName=x.azure-devices.net;DeviceId=d;SharedAccessKey=" + Key, "HostName appears twice")]
    [InlineData("HostName=h.azure-devices.net;DeviceId=d;SharedAccessKey=" + Key + ";Colour=blue", "unknown part 'Colour'")]
    [InlineData("HostName=h.azure-devices.net;DeviceId=d;ModuleId=m;SharedAccessKey=" + Key, "ModuleId")]
    [InlineData("HostName=h.azure-devices.net;DeviceId=d;SharedAccessSignature=SharedAccessSignature sr=x", "cannot be renewed")]
    [InlineData("HostName=h.azure-devices.net;DeviceId=dev 1;SharedAccessKey=" + Key, "DeviceId: a device id may hold only")]
    [InlineData("HostName=https://h.azure-devices.net;DeviceId=d;SharedAccessKey=" + Key, "HostName: the host name must be a DNS name")]
    [InlineData("HostName=h.azure-devices.net;DeviceId=d;x509=true;SharedAccessKey=" + Key, "choose one way")]
    [InlineData("HostName=h.azure-devices.net;DeviceId=d;x509=maybe", "x509 must be true or false")]
    [InlineData("HostName=h.azure-devices.net;DeviceId=d;" + Key, "(not shown)")]
    public void Parse_Incomplete_FailsWithReasonThatHidesTheKey(string? text, string reason)
    {
        var parsed = IotHubConnectionString.Parse(text);

        Assert.False(parsed.Success);
        Assert.Contains(reason, parsed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("AAECAw", parsed.Error, StringComparison.Ordinal);
    }
}
