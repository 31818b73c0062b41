using System.Buffers;
using EquipmentIoT.Protocols.LineProtocol;
using Xunit.Abstractions;

namespace EquipmentIoT.Protocols.Tests.LineProtocol;

/// <summary>
/// Seeded fuzzing of the reader with random bytes and damaged valid lines. The contract: no exception, ever; a
/// refusal has a reason and an offset inside the input; what is accepted writes back and reads the same.
/// </summary>
public class LineProtocolFuzzTests(ITestOutputHelper output)
{
    private const int Inputs = 20_000;
    private static readonly byte[] Hostile = "\\ ,=\"\n\r#_-.eEiu0123456789tf磁"u8.ToArray();

    [Theory]
    [InlineData(20261202)]
    [InlineData(7)]
    public void Read_RandomAndMutatedLines_OnlyResultsAndAcceptedLinesRoundTrip(int seed)
    {
        var (accepted, refused, findings) = Run(seed, Inputs);

        output.WriteLine($"seed {seed}: {Inputs} inputs, {accepted} accepted, {refused} refused, {findings.Count} findings");
        foreach (var finding in findings.Take(10)) output.WriteLine(finding);
        Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings.Take(10)));
        // Both outcomes in numbers, or the fuzzer only exercises one path.
        Assert.True(accepted > 1_000, $"{accepted} accepted");
        Assert.True(refused > 5_000, $"{refused} refused");
    }

    private static (int Accepted, int Refused, List<string> Findings) Run(int seed, int inputs)
    {
        var random = new Random(seed);
        var reader = new LineProtocolReader();
        var writer = new LineProtocolWriter();
        var findings = new List<string>();
        int accepted = 0, refused = 0;
        for (var i = 0; i < inputs; i++)
        {
            var input = Input(random, writer);
            try
            {
                var result = reader.ReadLines(input);
                if (!result.Success)
                {
                    refused++;
                    if (string.IsNullOrEmpty(result.Error) || result.Offset < 0 || result.Offset > input.Length)
                    {
                        findings.Add($"bad refusal {result} for {Convert.ToHexString(input)}");
                    }

                    continue;
                }

                accepted++;
                var again = new ArrayBufferWriter<byte>();
                foreach (var point in result.Value)
                {
                    var written = writer.TryWrite(point, again);
                    if (!written.Success) findings.Add($"accepted but not writable: {written.Error} for {Convert.ToHexString(input)}");
                }

                var reread = reader.ReadLines(again.WrittenSpan);
                if (!reread.Success || !reread.Value.SequenceEqual(result.Value)) findings.Add($"round trip differs for {Convert.ToHexString(input)}");
            }
#pragma warning disable CA1031 // The point of the test is to catch any exception and report the input.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                findings.Add($"{ex.GetType().Name}: {ex.Message} for {Convert.ToHexString(input)}");
            }
        }

        return (accepted, refused, findings);
    }

    private static byte[] Input(Random random, LineProtocolWriter writer)
    {
        if (random.Next(10) == 0)
        {
            var noise = new byte[random.Next(40)];
            random.NextBytes(noise);
            return noise;
        }

        var buffer = new ArrayBufferWriter<byte>();
        for (var n = 1 + random.Next(2); n > 0; n--) writer.TryWrite(LinePointGenerator.Next(random, LinePrecision.Nanoseconds), buffer);
        var bytes = buffer.WrittenSpan.ToArray().ToList();
        for (var m = random.Next(3); m > 0 && bytes.Count > 0; m--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes.RemoveAt(at); break;
                case 1: bytes.Insert(at, Hostile[random.Next(Hostile.Length)]); break;
                case 2: bytes[at] = Hostile[random.Next(Hostile.Length)]; break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
        }

        return [.. bytes];
    }
}
