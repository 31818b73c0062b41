using System.Globalization;
using System.Text;

namespace EquipmentIoT.Testing;

/// <summary>Writes mosquitto.conf and the password file for <see cref="MosquittoBroker"/> (mosquitto 2.0 semantics).</summary>
internal static class MosquittoConfig
{
    private static readonly TimeSpan PasswdTimeout = TimeSpan.FromSeconds(30);

    public static string Render(
        MosquittoOptions options, int port, int? tlsPort, TestCertificateFiles? certificates, string? passwordFile, string directory)
    {
        var conf = new StringBuilder();
        void Line(string text) => conf.Append(text).Append('\n');

        Line("# Written by EquipmentIoT.Testing.MosquittoBroker for one test run.");
        // Global auth settings (allow_anonymous, password_file) then cover every listener.
        Line("per_listener_settings false");
        Line(options.AllowAnonymous ? "allow_anonymous true" : "allow_anonymous false");
        if (passwordFile is not null)
        {
            Line($"password_file {passwordFile}");
        }

        // stderr, not stdout: stdout is block-buffered when it is a pipe, so lines would only arrive at exit.
        Line("log_dest stderr");
        // One type per line: "log_type error warning" silently keeps only the first word.
        foreach (var type in new[] { "error", "warning", "notice", "information", "subscribe", "unsubscribe" })
        {
            Line($"log_type {type}");
        }

        // Per client, QoS 1/2 messages queued beyond those in flight (default 1000); tests push 100k.
        Line("max_queued_messages 200000");
        if (options.Persistence)
        {
            Line("persistence true");
            Line($"persistence_location {directory}/"); // the trailing slash matters: the file name is appended
            Line("autosave_interval 1");
        }

        if (LibC.GetEffectiveUserId() == 0)
        {
            // As root mosquitto drops to the "mosquitto" user, which cannot read our 0700 temp dir.
            Line("user root");
        }

        Line($"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1");
        if (tlsPort is { } secure && certificates is not null)
        {
            Line($"listener {secure.ToString(CultureInfo.InvariantCulture)} 127.0.0.1");
            Line($"cafile {certificates.CaFile}");
            Line($"certfile {certificates.ServerCertFile}");
            Line($"keyfile {certificates.ServerKeyFile}");
            if (options.RequireClientCertificate)
            {
                Line("require_certificate true");
                Line("use_identity_as_username false");
            }
        }

        foreach (var extra in options.ExtraConfigLines)
        {
            Line(extra);
        }

        return conf.ToString();
    }

    public static async Task WritePasswordFileAsync(string path, IReadOnlyDictionary<string, string> users, CancellationToken cancellationToken)
    {
        var plain = new StringBuilder();
        foreach (var (user, password) in users)
        {
            if (user.Length == 0 || user.Contains(':', StringComparison.Ordinal) || user.Contains('\n', StringComparison.Ordinal) || password.Contains('\n', StringComparison.Ordinal))
            {
                throw new ArgumentException($"username '{user}' or its password cannot go in a mosquitto password file", nameof(users));
            }

            plain.Append(user).Append(':').Append(password).Append('\n');
        }

        // Plain text first, then hashed in place with -U: passwords never appear on a command line.
        await File.WriteAllTextAsync(path, string.Empty, cancellationToken).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await File.WriteAllTextAsync(path, plain.ToString(), cancellationToken).ConfigureAwait(false);
        await using var passwd = ChildProcess.Start(ExternalTool.MosquittoPasswd, ["-U", path]);
        var exitCode = await passwd.WaitForExitAsync(PasswdTimeout, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_passwd -U failed with exit code {exitCode}: {passwd.StderrTail()}");
        }
    }
}
