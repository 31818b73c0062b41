using System.Text;

namespace EquipmentIoT.Bench.Mqtt;

/// <summary>
/// The publishers' stdin: <c>count</c> lines of exactly <see cref="PayloadBytes"/> printable ASCII
/// bytes, each ended by '\n', from a fixed seed, so every run and both publishers send the same bytes.
/// </summary>
internal sealed class PayloadFile : IDisposable
{
    public const int PayloadBytes = 200;
    private const int Seed = 20261122;
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private PayloadFile(string path, long lines)
    {
        Path = path;
        Lines = lines;
    }

    public string Path { get; }
    public long Lines { get; }

    public static PayloadFile Create(long lines)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"eqiot-bench-{Environment.ProcessId}-{lines}.txt");
#pragma warning disable CA5394 // Benchmark payload, not security: a seeded generator makes it reproducible.
        var random = new Random(Seed);
        var line = new byte[PayloadBytes + 1];
        line[PayloadBytes] = (byte)'\n';
        var alphabet = Encoding.ASCII.GetBytes(Alphabet);
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16))
        {
            for (long i = 0; i < lines; i++)
            {
                for (var j = 0; j < PayloadBytes; j++) line[j] = alphabet[random.Next(alphabet.Length)];
                file.Write(line);
            }
        }
#pragma warning restore CA5394
        return new PayloadFile(path, lines);
    }

    public void Dispose() => File.Delete(Path);
}
