using System.Runtime.Versioning;
using System.Text;
using EquipmentIoT.EdgeAgent.Adapters.Serial;
using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.Protocols.Serial.Framing;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Tests.Adapters.Serial;

/// <summary>
/// Seeded fuzzing of framer + grammar together, as the adapter runs them: random bytes and mutated valid
/// status lines. No exception escapes, every line has an outcome, events stay bounded by lines, and memory
/// does not grow with the input.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SerialGrammarFuzzTests
{
    private const int Iterations = 5000;

    [Fact]
    public void FramerAndInterpreter_RandomAndMutatedLines_NoExceptionBoundedOutput()
    {
        var random = new Random(5);
        var profile = SerialProfiles.Load();
        var framer = new LineFramer(profile.ToFramerOptions());
        var interpreter = new SerialLineInterpreter("ct-01", profile);
        var sink = new CountingSink();
        var lines = new List<string>();
        var valid = new[]
        {
            "STAT T=415 kv=120 S=SCN F=0\r\n", "STAT T=420 kv=80 S=RDY F=E101\r\n",
            "CSV,CT1,41.5,120,x,PARK,0\r\n", "READY T=41.5\r\n", "SCANNING T=-2\r\n",
        }.Select(Encoding.ASCII.GetBytes).ToArray();
        long outcomes = 0;
        var t = Instant.FromUtc(2026, 12, 2, 0, 0);
        for (var i = 0; i < Iterations; i++)
        {
            var input = random.Next(4) == 0 ? RandomBytes(random) : Mutate(random, valid[random.Next(valid.Length)]);
            lines.Clear();
            framer.Feed(input, lines);
            foreach (var line in lines)
            {
                _ = interpreter.Interpret(line, t, sink);
                outcomes++;
            }

        }

        Assert.Equal(framer.Statistics.Lines, outcomes);
        Assert.True(outcomes > Iterations / 4, $"only {outcomes} lines survived framing");
        Assert.InRange(sink.Metrics, 1, outcomes * 2);
        Assert.InRange(sink.Events, 1, outcomes * 4);
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 120)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] valid)
    {
        var bytes = (byte[])valid.Clone();
        for (var m = random.Next(0, 3); m > 0; m--)
        {
            bytes[random.Next(bytes.Length)] = random.Next(2) == 0 ? (byte)random.Next(0x20, 0x7F) : (byte)random.Next(256);
        }

        return bytes;
    }

    // Counts only: a RecordingSink would grow with the input and hide a leak in the code under test.
    private sealed class CountingSink : ITelemetrySink
    {
        public long Metrics { get; private set; }

        public long Events { get; private set; }

        public void AddMetric(in MetricPoint point) => Metrics++;

        public void AddEvent(TelemetryEvent telemetryEvent) => Events++;
    }
}
