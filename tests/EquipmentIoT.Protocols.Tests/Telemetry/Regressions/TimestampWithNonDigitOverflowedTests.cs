using System.Text;
using EquipmentIoT.Protocols.Telemetry.Json;

namespace EquipmentIoT.Protocols.Tests.Telemetry.Regressions;

/// <summary>
/// Found by the fuzzer: a timestamp with a character below '0' where a digit belongs
/// (<c>2026-1.-22…</c>) cast a negative int to uint under the project's checked arithmetic and threw
/// OverflowException out of the reader.
/// </summary>
public class TimestampWithNonDigitOverflowedTests
{
    [Theory]
    [InlineData("2026-1.-22T09:59:58.120Z")]
    [InlineData("2026-11-22T10:-0:01.250Z")]
    [InlineData("2026-11-22T10:00:01..00Z")]
    [InlineData("2026-1 -22T10:00:01.000Z")]
    [InlineData("2026-11-22T10:00:/0.005Z")]
    public void Read_NonDigitInTimestamp_RefusedWithReason(string ts)
    {
        var json = $$"""{"v":1,"agent":"a","stream":"events","seq":1,"prev":null,"created":"{{ts}}","metrics":[],"events":[]}""";
        var result = TelemetryBatchReader.Read(Encoding.UTF8.GetBytes(json));
        Assert.StartsWith("created: not an RFC 3339 UTC timestamp", result.Error, StringComparison.Ordinal);
    }
}
