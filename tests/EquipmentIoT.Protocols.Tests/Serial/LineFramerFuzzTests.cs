using System.Runtime.Versioning;
using System.Text;
using EquipmentIoT.Protocols.Serial.Framing;

namespace EquipmentIoT.Protocols.Tests.Serial;

/// <summary>
/// Seeded fuzzing of <see cref="LineFramer"/>: random bytes and mutated valid lines, cut into random reads,
/// in every encoding and line ending. Never an exception, never a line over the maximum, every line
/// accounted for, no U+FFFD inserted, and the framer's memory fixed.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LineFramerFuzzTests
{
    private const int Iterations = 3000;

    public static TheoryData<string, LineEnding> Settings()
    {
        var data = new TheoryData<string, LineEnding>();
        foreach (var encoding in LineEncodings.Names)
        {
            foreach (var ending in Enum.GetValues<LineEnding>()) data.Add(encoding, ending);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void Feed_RandomAndMutatedInput_NoExceptionBoundedLinesAllAccountedFor(string encoding, LineEnding ending)
    {
        var random = new Random(20261202);
        var options = new LineFramerOptions { Encoding = encoding, LineEnding = ending, MaxLineLength = 32 };
        var framer = new LineFramer(options);
        var lines = new List<string>();
        var valid = Encoding.UTF8.GetBytes("STAT T=41.5 S=RDY F=0\r\nSTAT T=\u00b0 S=SCN F=E101\n");
        long terminators = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var input = random.Next(3) == 0 ? RandomBytes(random) : Mutate(random, valid);
            terminators += input.Count(b => b is (byte)'\n' or (byte)'\r');
            var offset = 0;
            while (offset < input.Length)
            {
                var take = random.Next(1, input.Length - offset + 1);
                lines.Clear();
                framer.Feed(input.AsSpan(offset, take), lines);
                offset += take;
                foreach (var line in lines)
                {
                    Assert.InRange(Encoding.UTF8.GetByteCount(line), 1, 32 * 4);
                    Assert.DoesNotContain('\uFFFD', line);
                    Assert.DoesNotContain(line, c => c is '\n' or '\r' or '\0');
                }
            }

            if (random.Next(10) == 0) framer.DropPartialLine(lines);
        }

        var s = framer.Statistics;
        Assert.True(s.Lines > 0, "some mutated lines should survive");
        Assert.InRange(s.Lines + s.EmptyLines + s.OverlongLines + s.EncodingErrors, 1, terminators + Iterations);
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 200)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] valid)
    {
        var bytes = (byte[])valid.Clone();
        for (var m = random.Next(0, 4); m > 0; m--)
        {
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
        }

        return random.Next(5) == 0 ? [.. bytes, .. bytes.AsSpan(0, random.Next(bytes.Length))] : bytes;
    }
}
