using System.Globalization;
using EquipmentIoT.Protocols.AzureIotHub;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Protocols.Tests.AzureIotHub;

/// <summary>
/// SAS tokens against the algorithm of "Control access to IoT Hub with shared access signatures" (SAS
/// token structure): sig = base64(HMAC-SHA256(base64-decoded key, {URL-encoded-resourceURI} + "\n" + {expiry})).
/// </summary>
public sealed class SasTokenTests
{
    // 32 bytes 00..1F; a fixed key and time make the token a golden value.
    private const string Key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private const long Expiry = 1456971697; // the se of the article's device example

    // Computed independently with openssl: printf 'myhub.azure-devices.net%2fdevices%2fdevice1\n1456971697' |
    //   openssl dgst -sha256 -mac HMAC -macopt hexkey:000102…1f -binary | base64  →  0GYU7fnxhOs/rmgk0Z/xWw/7iFtqzYoQXBtZiig2VkM=
    private const string Golden =
        "SharedAccessSignature sr=myhub.azure-devices.net%2fdevices%2fdevice1&sig=0GYU7fnxhOs%2frmgk0Z%2fxWw%2f7iFtqzYoQXBtZiig2VkM%3d&se=1456971697";

    private static readonly TimeSpan PythonTimeout = TimeSpan.FromSeconds(30);

    // An independent implementation of the documented algorithm in Python's standard library. The article's
    // samples differ only in the case of the hex digits (quote_plus and encodeURIComponent write %2F); the
    // article describes "lower case URL-encoding" and its example tokens read %2f, so both sides lower-case.
    private const string PythonSas = """
        import sys, hmac, hashlib, base64, re
        from urllib.parse import quote
        def enc(s): return re.sub(r'%[0-9A-F]{2}', lambda m: m.group(0).lower(), quote(s, safe=''))
        host, device, key, se = sys.argv[1:5]
        sr = enc(host + '/devices/' + device)
        sig = base64.b64encode(hmac.new(base64.b64decode(key), (sr + '\n' + se).encode('utf-8'), hashlib.sha256).digest()).decode()
        print('SharedAccessSignature sr=' + sr + '&sig=' + enc(sig) + '&se=' + se)
        """;

    [Fact]
    public void CreateForDevice_FixedKeyAndExpiry_MatchesGoldenToken()
    {
        var token = SasToken.CreateForDevice("myhub.azure-devices.net", "device1", Convert.FromBase64String(Key), Expiry);

        Assert.Equal(Golden, token.Serialize());
        Assert.Equal("myhub.azure-devices.net/devices/device1", token.ResourceUri);
        Assert.Equal("myhub.azure-devices.net%2fdevices%2fdevice1", token.EncodedResourceUri);
        Assert.Null(token.PolicyName);
    }

    [Theory]
    [InlineData("myhub.azure-devices.net", "device1", Key, 1456971697L)]
    [InlineData("contoso.azure-devices.net", "MyDevice01", Key, 1700000000L)]
    [InlineData("h.azure-devices.net", "ct-01.site_A", "c2VjcmV0LWtleS1vZi1hLWRldmljZS10aGF0LWlzLWxvbmc=", 4102444800L)]
    [InlineData("h.azure-devices.net", "dev%!*'(),:=@$?", "AQ==", 1L)]
    [InlineData("h.azure-devices.net", "a", "/////////////////////w==", 2000000000L)]
    public async Task CreateForDevice_AnyInput_MatchesIndependentPythonImplementation(string host, string device, string key, long expiry)
    {
        var python = ExternalTool.Require("/usr/bin/python3", "python3");
        await using var child = ChildProcess.Start(python, ["-c", PythonSas, host, device, key, expiry.ToString(CultureInfo.InvariantCulture)]);
        var exit = await child.WaitForExitAsync(PythonTimeout);
        Assert.True(exit == 0, child.StderrTail());

        var ours = SasToken.CreateForDevice(host, device, Convert.FromBase64String(key), expiry).Serialize();

        Assert.Equal(Assert.Single(child.StdoutLines), ours);
    }

    [Fact]
    public void ToString_NeverShowsTheSignature()
    {
        var token = SasToken.CreateForDevice("myhub.azure-devices.net", "device1", Convert.FromBase64String(Key), Expiry);

        Assert.Equal("SharedAccessSignature sr=myhub.azure-devices.net%2fdevices%2fdevice1&sig=<redacted>&se=1456971697", token.ToString());
        Assert.DoesNotContain("0GYU7fnx", token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WithPolicyName_AppendsSkn()
    {
        var token = SasToken.Create("myhub.azure-devices.net/devices/device1", Convert.FromBase64String(Key), Expiry, "device");

        Assert.EndsWith("&se=1456971697&skn=device", token.Serialize(), StringComparison.Ordinal);
        Assert.Equal("device", token.PolicyName);
    }

    [Fact]
    public void ExpiryFrom_FractionalSeconds_RoundsUp()
    {
        var now = new DateTimeOffset(2024, 3, 1, 12, 0, 0, TimeSpan.Zero).AddMilliseconds(400);

        var expiry = SasToken.ExpiryFrom(now, TimeSpan.FromHours(1));

        Assert.Equal(new DateTimeOffset(2024, 3, 1, 13, 0, 1, TimeSpan.Zero).ToUnixTimeSeconds(), expiry);
    }

    [Fact]
    public void ExpiryFrom_TimeProvider_UsesItsClock()
    {
        var clock = new FixedClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)));

        Assert.Equal(clock.GetUtcNow().ToUnixTimeSeconds() + 3, SasToken.ExpiryFrom(clock, TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void IsExpired_AtAndAfterExpiry_True()
    {
        var token = SasToken.CreateForDevice("myhub.azure-devices.net", "device1", Convert.FromBase64String(Key), Expiry);

        Assert.False(token.IsExpired(DateTimeOffset.FromUnixTimeSeconds(Expiry - 1)));
        Assert.True(token.IsExpired(DateTimeOffset.FromUnixTimeSeconds(Expiry)));
    }

    [Fact]
    public void Parse_SerializedToken_RoundTripsAndVerifies()
    {
        var parsed = SasToken.Parse(Golden);

        Assert.True(parsed.Success, parsed.Error);
        Assert.Equal("myhub.azure-devices.net/devices/device1", parsed.Value.ResourceUri);
        Assert.Equal(Expiry, parsed.Value.ExpiresAtUnixSeconds);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Expiry), parsed.Value.ExpiresAt);
        Assert.True(parsed.Value.VerifySignature(Convert.FromBase64String(Key)));
        Assert.False(parsed.Value.VerifySignature(new byte[32]));
        Assert.Equal(Golden, parsed.Value.Serialize());
    }

    [Fact]
    public void Parse_UpperCaseEscapesAndOtherFieldOrder_SignatureCoversTheSrAsSent()
    {
        // The form the article's Node.js/Python/C# samples produce: upper-case escapes, skn present.
        var key = Convert.FromBase64String(Key);
        var toSign = SasToken.StringToSign("myhub.azure-devices.net%2Fdevices%2Fdevice1", Expiry);
        var sig = Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes(toSign)));
        var text = $"SharedAccessSignature se={Expiry}&skn=device&sig={Uri.EscapeDataString(sig)}&sr=myhub.azure-devices.net%2Fdevices%2Fdevice1";

        var parsed = SasToken.Parse(text);

        Assert.True(parsed.Success, parsed.Error);
        Assert.Equal("myhub.azure-devices.net/devices/device1", parsed.Value.ResourceUri);
        Assert.Equal("device", parsed.Value.PolicyName);
        Assert.True(parsed.Value.VerifySignature(key));
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("sr=a&sig=b&se=1", "starts with 'SharedAccessSignature '")]
    [InlineData("SharedAccessSignature sig=0GYU7fnxhOs%2frmgk0Z%2fxWw%2f7iFtqzYoQXBtZiig2VkM%3d&se=1", "resource (sr) is missing")]
    [InlineData("SharedAccessSignature sr=h%2fdevices%2fd&se=1", "signature (sig) is missing")]
    [InlineData("SharedAccessSignature sr=h%2fdevices%2fd&sig=0GYU7fnxhOs%2frmgk0Z%2fxWw%2f7iFtqzYoQXBtZiig2VkM%3d", "expiry (se) is missing")]
    [InlineData("SharedAccessSignature sr=h&sig=0GYU7fnxhOs%2frmgk0Z%2fxWw%2f7iFtqzYoQXBtZiig2VkM%3d&se=-5", "not a whole number")]
    [InlineData("SharedAccessSignature sr=h&sig=0GYU7fnxhOs%2frmgk0Z%2fxWw%2f7iFtqzYoQXBtZiig2VkM%3d&se=1&se=2", "appears twice")]
    [InlineData("SharedAccessSignature sr=h&sig=0GYU7fnxhOs%2frmgk0Z%2fxWw%2f7iFtqzYoQXBtZiig2VkM%3d&se=1&foo=2", "unknown field 'foo'")]
    [InlineData("SharedAccessSignature sr=h&sig=bm90LWEtbWFj&se=1", "not a base64 HMAC-SHA256")]
    [InlineData("SharedAccessSignature sr=h%zz&sig=0GYU7fnxhOs%2frmgk0Z%2fxWw%2f7iFtqzYoQXBtZiig2VkM%3d&se=1", "bad percent-escape")]
    [InlineData("SharedAccessSignature sr=h&0GYU7fnxhOs%2frmgk0Z%2fxWw&se=1", "field 2 is not name=value")]
    public void Parse_Malformed_FailsWithReasonThatHidesTheSignature(string? text, string reason)
    {
        var parsed = SasToken.Parse(text);

        Assert.False(parsed.Success);
        Assert.Contains(reason, parsed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("0GYU7fnx", parsed.Error, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => parsed.Value);
    }

    [Theory]
    [InlineData("dev 1")]
    [InlineData("dev/1")]
    [InlineData("dev#1")]
    [InlineData("dev+1")]
    [InlineData("设备")]
    [InlineData("")]
    public void CreateForDevice_DeviceIdIoTHubRefuses_Throws(string deviceId)
    {
        Assert.Throws<ArgumentException>(() => SasToken.CreateForDevice("myhub.azure-devices.net", deviceId, Convert.FromBase64String(Key), Expiry));
    }

    [Fact]
    public void Create_EmptyKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => SasToken.Create("h/devices/d", [], Expiry));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }
}
