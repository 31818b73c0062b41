using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace EquipmentIoT.Cloud.Ingestion;

/// <summary>
/// Finds the <c>kid</c> of a JWS compact serialisation without judging anything else, so that the key can
/// be fetched (asynchronously, from the registry) before <c>JwsVerifier</c> checks the message strictly
/// and asks for it. Anything odd gives null; the verifier then says what is wrong.
/// </summary>
internal static class JwsKid
{
    private const int MaxHeaderChars = 1024; // the verifier's limit

    public static string? TryRead(ReadOnlySpan<byte> compact)
    {
        var dot = compact.IndexOf((byte)'.');
        if (dot <= 0 || dot > MaxHeaderChars) return null;
        Span<byte> header = stackalloc byte[MaxHeaderChars / 4 * 3];
        if (Base64Url.DecodeFromUtf8(compact[..dot], header, out _, out var written) != OperationStatus.Done) return null;
        var reader = new Utf8JsonReader(header[..written]);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isKid = reader.ValueTextEquals("kid"u8);
                reader.Read();
                if (isKid) return reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && reader.ValueSpan.Length <= 64 ? reader.GetString() : null;
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: no kid. The verifier reports the header as malformed.
        }
        return null;
    }
}
