using System.Text;

namespace EquipmentIoT.Protocols.Tests.Telemetry.Fuzzing;

/// <summary>
/// Damages JSON text and JWS compact serialisations in place: byte flips, JSON punctuation, inserted,
/// deleted and duplicated runs, truncation, and token swaps aimed at the rules the reader checks
/// (numbers at the edges of double and 2^53, strings at the length limits, lone surrogates, nulls, nesting).
/// </summary>
internal sealed class TelemetryMutator(Random random)
{
    private static readonly byte[] Interesting =
        "\"{}[],:\\0-e.nNtf =+/_"u8.ToArray().Concat(new byte[] { 0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xED, 0xEF, 0xF4, 0xFF }).ToArray();

    private static readonly string[] Tokens =
    [
        "null", "true", "false", "0", "-0", "1", "2", "-1", "1.5", "1e999", "-1e999", "1E-400", "9007199254740991", "9007199254740992",
        "18446744073709551616", "[]", "{}", "[[]]", "{\"a\":{}}", "\"\"", "\"x\"", "\"\\ud800\"", "\"\\u0000\"", "\"\\\"\"",
        "\"2026-11-22T10:00:01.000Z\"", "\"2026-02-30T10:00:01.000Z\"", "\"9999-12-31T23:59:59.999Z\"", "\"0000-01-01T00:00:00.000Z\"",
        "\"47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU\"", "\"metrics\"", "\"events\"", "\"x-acme.thing\"", "\"state\"",
        "\"" + new string('a', 64) + "\"", "\"" + new string('a', 65) + "\"", "\"" + new string('é', 600) + "\"",
        "\"uncertain\"", "\"bad\"", "\"good\"", "\"ES256\"", "\"none\"", "\"HS256\"",
    ];

    /// <summary>Applies one mutation to <c>buffer[..length]</c>; returns the new length (at most <c>buffer.Length</c>).</summary>
    public int Mutate(byte[] buffer, int length)
    {
        if (length == 0) return Insert(buffer, 0, 0, 1 + random.Next(4));
        var p = random.Next(length);
        switch (random.Next(12))
        {
            case 0:
                buffer[p] ^= (byte)(1 << random.Next(8));
                return length;
            case 1 or 2:
                buffer[p] = Interesting[random.Next(Interesting.Length)];
                return length;
            case 3:
                return Insert(buffer, length, p, 1 + random.Next(4));
            case 4:
                return Delete(buffer, length, p, Math.Min(1 + random.Next(8), length - p));
            case 5:
                return random.Next(length);
            case 6:
                return Duplicate(buffer, length, p);
            default:
                return SwapToken(buffer, length);
        }
    }

    private int Insert(byte[] buffer, int length, int at, int count)
    {
        count = Math.Min(count, buffer.Length - length);
        if (count <= 0) return length;
        Array.Copy(buffer, at, buffer, at + count, length - at);
        for (var i = 0; i < count; i++) buffer[at + i] = random.Next(2) == 0 ? (byte)random.Next(256) : Interesting[random.Next(Interesting.Length)];
        return length + count;
    }

    private static int Delete(byte[] buffer, int length, int at, int count)
    {
        Array.Copy(buffer, at + count, buffer, at, length - at - count);
        return length - count;
    }

    // Repeats a run (a member, an array element) so that duplicates and long arrays appear.
    private int Duplicate(byte[] buffer, int length, int at)
    {
        var count = Math.Min(Math.Min(1 + random.Next(120), length - at), buffer.Length - length);
        if (count <= 0) return length;
        Array.Copy(buffer, at, buffer, at + count, length - at);
        return length + count;
    }

    // Replaces the value after a random ':' (or a random array element) with an interesting token.
    private int SwapToken(byte[] buffer, int length)
    {
        var start = IndexOf(buffer, length, random.Next(length), random.Next(3) == 0 ? (byte)',' : (byte)':');
        if (start < 0) return length;
        start++;
        var end = start;
        var inString = false;
        while (end < length)
        {
            var b = buffer[end];
            if (inString)
            {
                if (b == '\\') end++;
                else if (b == '"') { end++; break; }
            }
            else if (b == '"' && end == start) inString = true;
            else if (b is (byte)',' or (byte)'}' or (byte)']') break;
            end++;
        }
        end = Math.Min(end, length);
        var token = Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)]);
        var newLength = length - (end - start) + token.Length;
        if (newLength > buffer.Length) return length;
        Array.Copy(buffer, end, buffer, start + token.Length, length - end);
        token.CopyTo(buffer, start);
        return newLength;
    }

    private static int IndexOf(byte[] buffer, int length, int from, byte value)
    {
        var i = Array.IndexOf(buffer, value, from, length - from);
        return i >= 0 ? i : Array.IndexOf(buffer, value, 0, length);
    }
}
