using System.Runtime.Versioning;
using System.Text;

namespace EquipmentIoT.EdgeAgent.Tests.Buffer;

/// <summary>Deterministic record payloads: ASCII like a JWS, different for every seq, seeded by the seq.</summary>
[SupportedOSPlatform("linux")]
internal static class TestRecords
{
    /// <summary>Payload bytes of the test records (100 + 28 header = 128 bytes per record on disk).</summary>
    public const int DefaultLength = 100;

    public const int RecordBytes = 128;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

    public static byte[] Payload(long seq, int length = DefaultLength)
    {
        var random = new Random(unchecked((int)seq * 7919));
        var bytes = new byte[length];
        for (var i = 0; i < length; i++) bytes[i] = (byte)Alphabet[random.Next(Alphabet.Length)];
        return bytes;
    }

    public static string Text(ReadOnlyMemory<byte> payload) => Encoding.ASCII.GetString(payload.Span);
}
