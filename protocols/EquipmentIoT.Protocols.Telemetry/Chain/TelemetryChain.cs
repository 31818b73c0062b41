using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace EquipmentIoT.Protocols.Telemetry.Chain;

/// <summary>
/// The hash chain of SPEC.md §chain: each batch's <c>prev</c> is base64url (no padding) of SHA-256 over
/// the ASCII bytes of the previous batch's whole JWS compact serialisation on the same stream, and
/// <see cref="Classify"/> is the verifier's decision table for an incoming batch.
/// </summary>
public static class TelemetryChain
{
    /// <summary>Characters in a chain hash (and in a <c>kid</c>): base64url of 32 bytes.</summary>
    public const int HashLength = TelemetryLimits.HashTextLength;

    /// <summary>The chain hash of <paramref name="compactJws"/>: what the next batch on the stream carries as <c>prev</c>.</summary>
    public static string Hash(ReadOnlySpan<byte> compactJws)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(compactJws, hash);
        return Base64Url.EncodeToString(hash);
    }

    /// <summary>Writes the chain hash of <paramref name="compactJws"/> as 43 ASCII bytes into <paramref name="utf8Destination"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> compactJws, Span<byte> utf8Destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(utf8Destination.Length, HashLength, nameof(utf8Destination));
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(compactJws, hash);
        Base64Url.EncodeToUtf8(hash, utf8Destination);
    }

    /// <summary>
    /// Compares two hashes (or other secrets-adjacent strings) in time that depends only on their
    /// lengths, not on where they differ. Null equals only null.
    /// </summary>
    public static bool FixedTimeEquals(string? a, string? b)
    {
        if (a is null || b is null) return a is null && b is null;
        return CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(a.AsSpan()), MemoryMarshal.AsBytes(b.AsSpan()));
    }

    /// <summary>
    /// Decides what a verified batch means for its stream (SPEC.md §chain, "how a verifier checks").
    /// </summary>
    /// <param name="last">The newest batch accepted so far on this (agent, stream), or null when none.</param>
    /// <param name="seq">The incoming batch's <c>seq</c>.</param>
    /// <param name="prev">The incoming batch's <c>prev</c>.</param>
    /// <param name="hash">The chain hash of the incoming JWS (<see cref="Hash(ReadOnlySpan{byte})"/>).</param>
    public static ChainVerdict Classify(ChainPosition? last, long seq, string? prev, string hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentOutOfRangeException.ThrowIfLessThan(seq, 1);
        if (last is not { } l) return seq == 1 ? ChainVerdict.Next : ChainVerdict.Gap;
        if (seq == l.Seq + 1) return FixedTimeEquals(prev, l.Hash) ? ChainVerdict.Next : ChainVerdict.Broken;
        if (seq == l.Seq) return FixedTimeEquals(hash, l.Hash) ? ChainVerdict.Duplicate : ChainVerdict.Conflict;
        return seq > l.Seq ? ChainVerdict.Gap : ChainVerdict.Earlier;
    }
}
