using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EquipmentIoT.EdgeAgent.Privacy;

/// <summary>
/// Keyed pseudonyms: HMAC-SHA256(site secret, UTF-8(domain) ‖ 0x00 ‖ UTF-8(value)), first 16 bytes.
/// The domain keeps kinds of identifier apart (a patient id and an accession number with the same text
/// get different pseudonyms); the 0x00 separator keeps "ab"+"c" and "a"+"bc" apart. Output: a prefix per
/// domain ("p-" patient id, "a-" accession, "s-" study id, otherwise "{domain}-") and 32 lower-case hex
/// digits, or for the "uid" domain a UID "2.25.{128-bit decimal}" (PS3.5 B.2), so UIDs stay valid UIDs.
/// Values are trimmed of DICOM padding (spaces, NUL) first.
/// </summary>
internal static class PhiPseudonyms
{
    private const int TruncatedBytes = 16;

    public static string Create(ReadOnlySpan<byte> secret, string domain, ReadOnlySpan<char> value)
    {
        value = value.Trim(" \0");
        var length = Encoding.UTF8.GetByteCount(domain) + 1 + Encoding.UTF8.GetByteCount(value);
        var rented = length <= 512 ? null : ArrayPool<byte>.Shared.Rent(length);
        var input = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length);
        try
        {
            var n = Encoding.UTF8.GetBytes(domain, input);
            input[n++] = 0;
            Encoding.UTF8.GetBytes(value, input[n..]);
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(secret, input, mac);
            var head = mac[..TruncatedBytes];
            if (domain == PhiPolicy.UidDomain)
                return "2.25." + BinaryPrimitives.ReadUInt128BigEndian(head).ToString(CultureInfo.InvariantCulture);
            return Prefix(domain) + Convert.ToHexStringLower(head);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
    }

    private static string Prefix(string domain) => domain switch
    {
        PhiPolicy.PatientIdDomain => "p-",
        PhiPolicy.AccessionDomain => "a-",
        PhiPolicy.StudyIdDomain => "s-",
        _ => domain + "-",
    };
}
