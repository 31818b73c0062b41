using System.Diagnostics.CodeAnalysis;

namespace EquipmentIoT.EdgeAgent.Privacy;

/// <summary>
/// The site secret that keys patient pseudonyms: at least 32 bytes, kept in a file that every agent of a
/// site shares (so one patient gets one pseudonym across a site's equipment and across restarts) and that
/// never leaves the hospital. The file's bytes are used as they are (e.g. <c>head -c 32 /dev/urandom</c>);
/// without the secret nobody can test a guessed patient id against a pseudonym.
/// </summary>
public sealed class PhiSiteSecret
{
    /// <summary>Fewest bytes accepted: the HMAC-SHA256 block of security the pseudonyms rely on.</summary>
    public const int MinimumLength = 32;

    /// <summary>Largest file read; a site secret is small, anything bigger is the wrong file.</summary>
    public const int MaximumLength = 4096;

    private readonly byte[] _key;

    /// <summary>Wraps secret bytes (copied).</summary>
    /// <exception cref="ArgumentException">Fewer than <see cref="MinimumLength"/> or more than <see cref="MaximumLength"/> bytes.</exception>
    public PhiSiteSecret(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinimumLength) throw new ArgumentException($"a site secret needs at least {MinimumLength} bytes (has {key.Length})", nameof(key));
        if (key.Length > MaximumLength) throw new ArgumentException($"a site secret is at most {MaximumLength} bytes", nameof(key));
        _key = key.ToArray();
    }

    /// <summary>Length of the secret in bytes.</summary>
    public int Length => _key.Length;

    internal ReadOnlySpan<byte> Key => _key;

    /// <summary>
    /// Reads the secret from <paramref name="path"/>. A missing, unreadable, too short or too long file
    /// returns false with the reason (naming the file, never its content).
    /// </summary>
    public static bool TryLoad(string path, [NotNullWhen(true)] out PhiSiteSecret? secret, [NotNullWhen(false)] out string? problem)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        secret = null;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                problem = $"site secret file {path} does not exist (create it with: head -c 32 /dev/urandom > {path}; chmod 600 {path})";
                return false;
            }

            if (info.Length > MaximumLength)
            {
                problem = $"site secret file {path} is larger than {MaximumLength} bytes: is it the right file?";
                return false;
            }

            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < MinimumLength)
            {
                problem = $"site secret file {path} holds {bytes.Length} bytes; at least {MinimumLength} are needed";
                return false;
            }

            secret = new PhiSiteSecret(bytes);
            problem = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot read site secret file {path}: {e.Message}";
            return false;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"site secret ({_key.Length} bytes)";
}
