using Microsoft.AspNetCore.Identity;

namespace EquipmentIoT.Cloud.Web.Users;

/// <summary>
/// Password hashing with the framework's <see cref="PasswordHasher{TUser}"/> (PBKDF2-SHA512, salted, versioned format),
/// and the rules a new password must meet.
/// </summary>
public static class UserPasswords
{
    /// <summary>The shortest password accepted.</summary>
    public const int MinLength = 10;

    /// <summary>The longest password accepted (hashing cost is bounded).</summary>
    public const int MaxLength = 256;

    private static readonly PasswordHasher<string> Hasher = new();

    // A hash of a password nobody has: unknown users cost the same verification time as known ones.
    private static readonly Lazy<string> Decoy = new(() => Hasher.HashPassword("decoy", Guid.NewGuid().ToString("N")));

    /// <summary>The hash to store.</summary>
    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return Hasher.HashPassword("user", password);
    }

    /// <summary>Checks a password; <paramref name="rehash"/> is a new hash when the stored one uses older parameters.</summary>
    public static bool Verify(string hash, string password, out string? rehash)
    {
        rehash = null;
        if (password.Length > MaxLength) return false;
        var result = Hasher.VerifyHashedPassword("user", hash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded) rehash = Hash(password);
        return result != PasswordVerificationResult.Failed;
    }

    /// <summary>Spends the time of a verification for a user that does not exist.</summary>
    public static void VerifyDecoy(string password) => Hasher.VerifyHashedPassword("user", Decoy.Value, password.Length > MaxLength ? "" : password);

    /// <summary>Null when <paramref name="password"/> may be used, else why not.</summary>
    public static string? Validate(string? password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength) return $"a password has at least {MinLength} characters";
        if (password.Length > MaxLength) return $"a password has at most {MaxLength} characters";
        if (password.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0) return "a password has no control characters";
        return null;
    }
}
