using System.Net.Http.Headers;
using System.Text;

namespace EquipmentIoT.Cloud.Storage.Influx;

/// <summary>
/// The <c>Authorization</c> header for InfluxDB, built from secrets read from files: <c>Token x</c> (what 2.x and
/// 3.x want on their v1 endpoints) or <c>Basic</c> user:password (1.x with auth enabled, and 2.x v1 auth).
/// Holds the secret only inside the header value; <see cref="ToString"/> never shows it.
/// </summary>
public sealed class InfluxCredentials
{
    private readonly AuthenticationHeaderValue? _header;

    private InfluxCredentials(AuthenticationHeaderValue? header, string description)
    {
        _header = header;
        Description = description;
    }

    /// <summary>No authentication.</summary>
    public static InfluxCredentials None { get; } = new(null, "none");

    /// <summary>What kind of authentication this is, without the secret (for logs and messages).</summary>
    public string Description { get; }

    /// <summary>A token credential.</summary>
    public static InfluxCredentials Token(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        return new(new AuthenticationHeaderValue("Token", token), "token");
    }

    /// <summary>A user/password credential.</summary>
    public static InfluxCredentials Basic(string user, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(password);
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        return new(new AuthenticationHeaderValue("Basic", encoded), $"user '{user}'");
    }

    /// <summary>Reads the options' secret files (trailing newlines trimmed); none when neither is set.</summary>
    /// <exception cref="InvalidOperationException">A secret file is missing, unreadable or empty.</exception>
    public static InfluxCredentials FromOptions(InfluxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TokenFile is { } tokenFile) return Token(ReadSecret(tokenFile, "TokenFile"));
        if (options.Username is { } user) return Basic(user, ReadSecret(options.PasswordFile ?? throw new InvalidOperationException(
            "Storage:Influx:Username is set but PasswordFile is not"), "PasswordFile"));
        return None;
    }

    /// <summary>Sets the header on a request (nothing for <see cref="None"/>).</summary>
    public void Apply(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_header is not null) request.Headers.Authorization = _header;
    }

    public override string ToString() => Description;

    private static string ReadSecret(string path, string setting)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Storage:Influx:{setting} '{path}' cannot be read: {ex.Message}", ex);
        }
        var secret = text.TrimEnd('\r', '\n');
        if (secret.Length == 0) throw new InvalidOperationException($"Storage:Influx:{setting} '{path}' is empty");
        return secret;
    }
}
