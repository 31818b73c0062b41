using System.Buffers;
using System.Text;

namespace EquipmentIoT.Protocols.AzureIotHub;

/// <summary>
/// Percent-encoding as IoT Hub uses it in SAS tokens and MQTT property bags. Encoding keeps only RFC 3986
/// "unreserved" characters (<c>A-Z a-z 0-9 - . _ ~</c>) and writes every other UTF-8 byte as <c>%xx</c>
/// with lower-case hex: the SAS article describes <c>{URL-encoded-resourceURI}</c> as "lower case
/// URL-encoding" and its example tokens read <c>myhub.azure-devices.net%2fdevices%2fdevice1</c>.
/// Decoding accepts either case and '+' as a space (query-string form encoding).
/// </summary>
public static class IotHubUrlEncoding
{
    private const string LowerHex = "0123456789abcdef";

    /// <summary>Percent-encodes <paramref name="value"/> (UTF-8, lower-case hex).</summary>
    public static string Encode(string value) => Encode(value, keepDollar: false);

    /// <summary>Like <see cref="Encode(string)"/>, optionally leaving '$' as it is (system property names such as <c>$.ct</c>).</summary>
    internal static string Encode(string value, bool keepDollar)
    {
        ArgumentNullException.ThrowIfNull(value);
        var clean = true;
        foreach (var c in value)
        {
            if (!IsUnreserved(c) && !(keepDollar && c == '$'))
            {
                clean = false;
                break;
            }
        }

        if (clean) return value;
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var n = Encoding.UTF8.GetBytes(value, rented);
            var sb = new StringBuilder(n * 3);
            foreach (var b in rented.AsSpan(0, n))
            {
                var c = (char)b;
                if (b < 0x80 && (IsUnreserved(c) || (keepDollar && c == '$')))
                {
                    sb.Append(c);
                }
                else
                {
                    sb.Append('%').Append(LowerHex[b >> 4]).Append(LowerHex[b & 0xF]);
                }
            }

            return sb.ToString();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Decodes percent-escapes (either case) and '+' (a space) into UTF-8 text; refuses a truncated or
    /// non-hex escape and bytes that are not UTF-8.
    /// </summary>
    public static IotHubParseResult<string> Decode(ReadOnlySpan<char> value)
    {
        if (value.IndexOfAny('%', '+') < 0) return IotHubParseResult<string>.Ok(value.ToString());
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(value.Length)];
        var n = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%')
            {
                if (i + 2 >= value.Length || !TryHex(value[i + 1], out var hi) || !TryHex(value[i + 2], out var lo))
                    return IotHubParseResult<string>.Fail($"bad percent-escape at offset {i}");
                bytes[n++] = (byte)((hi << 4) | lo);
                i += 2;
            }
            else if (c == '+')
            {
                bytes[n++] = (byte)' ';
            }
            else
            {
                n += Encoding.UTF8.GetBytes(value.Slice(i, char.IsHighSurrogate(c) && i + 1 < value.Length ? 2 : 1), bytes.AsSpan(n));
                if (char.IsHighSurrogate(c) && i + 1 < value.Length) i++;
            }
        }

        try
        {
            return IotHubParseResult<string>.Ok(StrictUtf8.GetString(bytes, 0, n));
        }
        catch (DecoderFallbackException)
        {
            return IotHubParseResult<string>.Fail("percent-escapes do not decode to UTF-8 text");
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    private static bool TryHex(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'a' and <= 'f' => c - 'a' + 10,
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
