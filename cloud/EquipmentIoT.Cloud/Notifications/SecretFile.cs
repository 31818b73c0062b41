namespace EquipmentIoT.Cloud.Notifications;

/// <summary>
/// Reads a secret (password, HMAC key) from a file each time it is needed, so that it can be rotated without a
/// restart. The trailing newline editors add is not part of the secret. Errors name the file, never its content.
/// </summary>
public static class SecretFile
{
    /// <summary>Largest secret file read.</summary>
    public const int MaxBytes = 4096;

    /// <summary>Reads <paramref name="path"/>; false with the reason when it is missing, unreadable, too large or empty.</summary>
    public static bool TryRead(string? path, out string secret, out string? error)
    {
        secret = string.Empty;
        if (string.IsNullOrEmpty(path))
        {
            error = "no secret file is configured";
            return false;
        }
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxBytes)
            {
                error = $"the secret file '{path}' is larger than {MaxBytes} bytes";
                return false;
            }
            secret = File.ReadAllText(path).TrimEnd('\r', '\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read the secret file '{path}': {e.GetType().Name}";
            return false;
        }
        error = secret.Length == 0 ? $"the secret file '{path}' is empty" : null;
        return error is null;
    }
}
