using EquipmentIoT.EdgeAgent.Privacy;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Tests.Privacy;

internal static class PhiTestData
{
    public static readonly Instant At = Instant.FromUtc(2025, 3, 1, 8, 30);

    public static PhiSiteSecret Secret(byte fill = 0x5A) => new(Enumerable.Range(0, 32).Select(i => (byte)(fill ^ i)).ToArray());

    public static PhiScrubber Scrubber(PhiPolicy? policy = null, PhiSiteSecret? secret = null) => new(policy ?? PhiPolicy.Default, secret ?? Secret());

    public static TelemetryEvent Exam(params (string Key, EventValue Value)[] data) =>
        new("ct-01", EventTypes.ExamStarted, At, data.ToDictionary(d => d.Key, d => d.Value));

    public static string Text(this TelemetryEvent e, string key) => e.Data[key].AsString;
}
