using System.Net.Sockets;

namespace EquipmentIoT.Testing;

/// <summary>
/// A real mosquitto broker for one test: its own temp directory, free loopback ports, optional TLS
/// listener with generated certificates, optional persistence and password file. Stop, crash and
/// restart on the same ports for fault-injection tests; disposing kills it and deletes the directory.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly List<string> log = [];
    private readonly Lock logGate = new();
    private readonly int? tlsPort;
    private readonly TestCertificateFiles? certificateFiles;
    private ChildProcess? process;

    private MosquittoBroker(MosquittoOptions options, string directory, int port, int? tlsPort, TestCertificates? certificates, TestCertificateFiles? files)
    {
        Options = options;
        Directory = directory;
        Port = port;
        this.tlsPort = tlsPort;
        Certificates = certificates;
        certificateFiles = files;
        ConfigFile = Path.Combine(directory, "mosquitto.conf");
    }

    /// <summary>The loopback address every listener binds.</summary>
    public string Host { get; } = "127.0.0.1";

    /// <summary>The plain MQTT listener's port.</summary>
    public int Port { get; }

    /// <summary>The TLS listener's port.</summary>
    /// <exception cref="InvalidOperationException">The broker was started without <see cref="MosquittoOptions.Tls"/>.</exception>
    public int TlsPort => tlsPort ?? throw NoTls();

    /// <summary>The generated certificates; null when the broker has no TLS listener.</summary>
    public TestCertificates? Certificates { get; }

    /// <summary>PEM file of the CA that signed the server and client certificates.</summary>
    public string CaFile => (certificateFiles ?? throw NoTls()).CaFile;

    /// <summary>PEM file of the client certificate (CN <see cref="MosquittoOptions.ClientCommonName"/>).</summary>
    public string ClientCertFile => (certificateFiles ?? throw NoTls()).ClientCertFile;

    /// <summary>PEM file of the client private key.</summary>
    public string ClientKeyFile => (certificateFiles ?? throw NoTls()).ClientKeyFile;

    /// <summary>All PEM files written for the broker (including the wrong CA), or null without TLS.</summary>
    public TestCertificateFiles? CertificateFiles => certificateFiles;

    /// <summary>The options the broker was started with.</summary>
    public MosquittoOptions Options { get; }

    /// <summary>The broker's temp directory (config, certificates, password file, persistence).</summary>
    public string Directory { get; }

    /// <summary>The generated mosquitto.conf.</summary>
    public string ConfigFile { get; }

    /// <summary>Whether the broker process is currently running.</summary>
    public bool IsRunning => process is { HasExited: false };

    /// <summary>A snapshot of every log line the broker has written, across restarts.</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (logGate)
            {
                return [.. log];
            }
        }
    }

    /// <summary>Starts a broker and returns once every listener accepts TCP connections (bounded, 10 s).</summary>
    /// <exception cref="InvalidOperationException">mosquitto is missing, or exited or never listened (the message holds its log).</exception>
    public static async Task<MosquittoBroker> StartAsync(MosquittoOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new MosquittoOptions();
        _ = ExternalTool.Mosquitto; // fail before creating anything if the package is missing
        var directory = System.IO.Directory.CreateTempSubdirectory("eqiot-mosquitto-").FullName;
        TestCertificates? certificates = null;
        TestCertificateFiles? files = null;
        if (options.Tls)
        {
            certificates = TestCertificates.Create(options.ClientCommonName);
            files = certificates.WritePemFiles(Path.Combine(directory, "certs"));
        }

        var broker = new MosquittoBroker(options, directory, FreePort.Next(), options.Tls ? FreePort.Next() : null, certificates, files);
        try
        {
            string? passwordFile = null;
            if (options.Users is { Count: > 0 } users)
            {
                passwordFile = Path.Combine(directory, "passwords");
                await MosquittoConfig.WritePasswordFileAsync(passwordFile, users, cancellationToken).ConfigureAwait(false);
            }

            var config = MosquittoConfig.Render(options, broker.Port, broker.tlsPort, files, passwordFile, directory);
            await File.WriteAllTextAsync(broker.ConfigFile, config, cancellationToken).ConfigureAwait(false);
            await broker.LaunchAsync(cancellationToken).ConfigureAwait(false);
            return broker;
        }
        catch
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Stops the broker: SIGTERM and a bounded wait (mosquitto saves persistence on the way out), or
    /// SIGKILL to simulate a crash. Returns the exit code; does nothing and returns null if not running.
    /// </summary>
    public async Task<int?> StopAsync(bool graceful = true, CancellationToken cancellationToken = default)
    {
        if (process is null)
        {
            return null;
        }

        var stopping = process;
        process = null;
        await using (stopping.ConfigureAwait(false))
        {
            stopping.Kill(graceful ? Signal.Term : Signal.Kill);
            return await stopping.WaitForExitAsync(StopTimeout, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Starts the broker again with the same config, ports and persistence directory (stopping it
    /// gracefully first if it is still running); returns once it accepts connections.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(graceful: true, cancellationToken).ConfigureAwait(false);
        await LaunchAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits (bounded) until a broker log line satisfies <paramref name="predicate"/>.</summary>
    public Task WaitForLogAsync(Func<string, bool> predicate, TimeSpan timeout, string what, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return Wait.UntilAsync(() => Log.Any(predicate), timeout, $"mosquitto log: {what}", cancellationToken);
    }

    /// <summary>Kills the broker if running, disposes the certificates and deletes the temp directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            await process.DisposeAsync().ConfigureAwait(false);
            process = null;
        }

        Certificates?.Dispose();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        AppendLog($"--- eqiot: starting mosquitto -c {ConfigFile}");
        var started = ChildProcess.Start(ExternalTool.Mosquitto, ["-c", ConfigFile], Directory, onStderrLine: AppendLog);
        process = started;
        try
        {
            await Wait.UntilAsync(ct => IsAcceptingAsync(started, ct), StartTimeout, $"mosquitto to listen on {Host}:{Port}", cancellationToken)
                .ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new InvalidOperationException($"mosquitto did not start: {ex.Message}; log:\n{LogTail()}", ex);
        }
    }

    private async Task<bool> IsAcceptingAsync(ChildProcess started, CancellationToken cancellationToken)
    {
        if (started.HasExited)
        {
            throw new InvalidOperationException($"mosquitto exited during start-up; log:\n{LogTail()}");
        }

        // "running" is logged once every listener is open; a bare port check could hit a squatter.
        if (!started.StderrLines.Any(line => line.Contains("mosquitto version", StringComparison.Ordinal) && line.EndsWith(" running", StringComparison.Ordinal)))
        {
            return false;
        }

        return await CanConnectAsync(Port, cancellationToken).ConfigureAwait(false)
            && (tlsPort is not { } secure || await CanConnectAsync(secure, cancellationToken).ConfigureAwait(false));
    }

    private async Task<bool> CanConnectAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(Host, port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false; // not listening yet: poll again
        }
    }

    private void AppendLog(string line)
    {
        lock (logGate)
        {
            log.Add(line);
        }
    }

    private string LogTail() => string.Join('\n', Log.TakeLast(40));

    private static InvalidOperationException NoTls() =>
        new("the broker has no TLS listener: start it with new MosquittoOptions { Tls = true }");
}
