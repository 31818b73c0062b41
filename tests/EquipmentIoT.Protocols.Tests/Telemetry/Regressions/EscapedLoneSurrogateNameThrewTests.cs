using System.Text;
using EquipmentIoT.Protocols.Telemetry.Json;

namespace EquipmentIoT.Protocols.Tests.Telemetry.Regressions;

/// <summary>
/// Found by the fuzzer: a member name or keyword value written as an escaped lone surrogate
/// (<c>"\ud800"</c>) made Utf8JsonReader.ValueTextEquals throw InvalidOperationException out of the
/// reader and the JWS header check instead of returning a reason.
/// </summary>
public class EscapedLoneSurrogateNameThrewTests
{
    [Theory]
    [InlineData("""{"v":1,"\ud800":"metrics"}""", "payload: unknown member '")]
    [InlineData("""{"v":1,"stream":"\ud800"}""", "stream: must be \"metrics\" or \"events\"")]
    [InlineData("""{"metrics":[{"\udc00":1}]}""", "metrics[0]: unknown member '")]
    [InlineData("""{"metrics":[{"value":1,"quality":"\ud800"}]}""", "metrics[0].quality: must be")]
    [InlineData("""{"events":[{"device":"d","\ud800x":{}}]}""", "events[0]: unknown member '")]
    public void Read_EscapedLoneSurrogate_RefusedWithReason(string json, string reason)
    {
        var result = TelemetryBatchReader.Read(Encoding.UTF8.GetBytes(json));
        Assert.StartsWith(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_HeaderMemberIsLoneSurrogate_RefusedWithReason()
    {
        using var key = TelemetrySamples.SpecKey();
        var token = JwsTestTokens.Es256("""{"alg":"\ud800","kid":"x"}""", "{}", key);
        var result = TelemetrySamples.VerifierFor(key).Verify(Encoding.ASCII.GetBytes(token));
        Assert.Equal("header: alg \"?\" is refused: envelope v1 accepts only ES256 (RFC 7518 §3.4)", result.Error);
    }
}
