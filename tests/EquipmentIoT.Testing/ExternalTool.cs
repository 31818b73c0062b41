namespace EquipmentIoT.Testing;

/// <summary>
/// Finds the external programs that tests run as real peers. A missing program fails the test with a
/// message naming the Debian package that provides it; it never skips.
/// </summary>
public static class ExternalTool
{
    // mosquitto lives in /usr/sbin, which is not on every PATH (non-root shells, CI runners).
    private static readonly string[] ExtraDirectories = ["/usr/sbin", "/usr/bin", "/sbin"];

    private static readonly Lock PythonGate = new();
    private static string? verifiedPython;

    /// <summary>The broker, <c>/usr/sbin/mosquitto</c> (package <c>mosquitto</c>).</summary>
    public static string Mosquitto => Require("mosquitto", "mosquitto");

    /// <summary>The password-file tool shipped with the broker (package <c>mosquitto</c>).</summary>
    public static string MosquittoPasswd => Require("mosquitto_passwd", "mosquitto");

    /// <summary>The publish client (package <c>mosquitto-clients</c>).</summary>
    public static string MosquittoPub => Require("mosquitto_pub", "mosquitto-clients");

    /// <summary>The subscribe client (package <c>mosquitto-clients</c>).</summary>
    public static string MosquittoSub => Require("mosquitto_sub", "mosquitto-clients");

    /// <summary>Kannel's bearerbox, the SMS gateway core (package <c>kannel</c>).</summary>
    public static string KannelBearerbox => Require("bearerbox", "kannel");

    /// <summary>Kannel's smsbox, the HTTP sendsms front end (package <c>kannel</c>).</summary>
    public static string KannelSmsbox => Require("smsbox", "kannel");

    /// <summary>Kannel's fake SMSC, which prints every message that would reach a phone (package <c>kannel-extras</c>).</summary>
    public static string KannelFakeSmsc => Require("/usr/lib/kannel/test/fakesmsc", "kannel-extras");

    /// <summary>
    /// Debian's <c>/usr/bin/python3</c>, checked to import <c>paho.mqtt.client</c>. The <c>python3</c>
    /// on PATH may be a pyenv build without paho, so Paho peers must use this path.
    /// </summary>
    public static string DebianPython
    {
        get
        {
            lock (PythonGate)
            {
                verifiedPython ??= RequireDebianPythonModule("paho.mqtt.client", "python3-paho-mqtt");
                return verifiedPython;
            }
        }
    }

    /// <summary>
    /// Returns the full path of <paramref name="executable"/> (searched on PATH, then /usr/sbin,
    /// /usr/bin and /sbin; a path containing '/' is checked as given).
    /// </summary>
    /// <exception cref="InvalidOperationException">Not found; the message names <paramref name="debianPackage"/>.</exception>
    public static string Require(string executable, string debianPackage)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(executable);
        ArgumentException.ThrowIfNullOrWhiteSpace(debianPackage);
        return Find(executable) ?? throw NotFound(executable, debianPackage);
    }

    private static string? Find(string executable)
    {
        if (executable.Contains('/', StringComparison.Ordinal))
        {
            return IsExecutableFile(executable) ? Path.GetFullPath(executable) : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        var directories = path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(ExtraDirectories);
        return directories
            .Select(directory => Path.Combine(directory, executable))
            .FirstOrDefault(IsExecutableFile);
    }

    private static bool IsExecutableFile(string candidate)
    {
        if (!File.Exists(candidate))
        {
            return false;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & anyExecute) != 0;
    }

    /// <summary>
    /// Debian's <c>/usr/bin/python3</c>, checked to import <paramref name="module"/>; a failure names
    /// <paramref name="debianPackage"/>. (The <c>python3</c> on PATH may be a build without Debian's modules.)
    /// </summary>
    public static string RequireDebianPythonModule(string module, string debianPackage)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(module);
        var python = Require("/usr/bin/python3", debianPackage);
        using var process = new System.Diagnostics.Process();
        process.StartInfo.FileName = python;
        process.StartInfo.ArgumentList.Add("-c");
        process.StartInfo.ArgumentList.Add("import " + module);
        process.StartInfo.RedirectStandardError = true;
        process.StartInfo.RedirectStandardOutput = true;
        process.StartInfo.UseShellExecute = false;
        process.Start();
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{python} -c \"import {module}\"' did not finish within 30 s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{python}' cannot import {module}: install the Debian package '{debianPackage}' " +
                $"(./eqiot test installs it when run as root). Python said: {stderr.Result.Trim()}");
        }

        return python;
    }

    private static InvalidOperationException NotFound(string executable, string debianPackage) =>
        new($"'{executable}' not found: install the Debian package '{debianPackage}' (./eqiot test installs it when run as root)");
}
