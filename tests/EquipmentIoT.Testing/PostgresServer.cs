using System.Globalization;
using System.Security.Cryptography;
using Npgsql;

namespace EquipmentIoT.Testing;

/// <summary>
/// A real PostgreSQL server for tests: initdb in its own temp directory, a free 127.0.0.1 port, its unix socket
/// in that directory, trust authentication for the superuser <see cref="Superuser"/> on loopback and a
/// SCRAM password for <see cref="PasswordUser"/> (to test authentication). PostgreSQL refuses to run as root,
/// so when the tests run as root every program runs as the <c>postgres</c> user (runuser) in a directory
/// owned by it. Stop, crash and start again on the same data and port for resilience tests; disposing stops
/// it at once and deletes the directory.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>The trusted superuser (no password on loopback).</summary>
    public const string Superuser = "eqiot";

    /// <summary>A login that must give its password (SCRAM-SHA-256), owner of every database <see cref="CreateDatabaseAsync"/> makes.</summary>
    public const string PasswordUser = "eqiot_app";

    private const string OsUser = "postgres";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(120);
    private static int databaseCounter;

    private readonly List<string> log = [];
    private readonly Lock logGate = new();
    private readonly string binDirectory;
    private readonly bool asRoot;
    private ChildProcess? process;

    private PostgresServer(string directory, string binDirectory, bool asRoot, int port, bool fsync)
    {
        Directory = directory;
        this.binDirectory = binDirectory;
        this.asRoot = asRoot;
        Port = port;
        Fsync = fsync;
        DataDirectory = Path.Combine(directory, "data");
        SocketDirectory = Path.Combine(directory, "socket");
        Password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    }

    /// <summary>The loopback address the server listens on.</summary>
    public string Host { get; } = "127.0.0.1";

    public int Port { get; }

    /// <summary>Whether the server syncs its writes to disk (off by default: a restart keeps commits, a machine crash would not).</summary>
    public bool Fsync { get; }

    /// <summary>The server's temp directory (data directory and socket directory inside).</summary>
    public string Directory { get; }

    public string DataDirectory { get; }

    public string SocketDirectory { get; }

    /// <summary>The password of <see cref="PasswordUser"/>.</summary>
    public string Password { get; }

    /// <summary>Whether the server process is running.</summary>
    public bool IsRunning => process is { HasExited: false };

    /// <summary>Every log line the server has written, across restarts.</summary>
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

    /// <summary>Creates a cluster and starts it; returns once it accepts connections (bounded).</summary>
    /// <param name="fsync">Sync writes to disk (only tests about machine crashes need it; it is slow).</param>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed (the message names the Debian package), or it did not start.</exception>
    public static async Task<PostgresServer> StartAsync(bool fsync = false, CancellationToken cancellationToken = default)
    {
        var bin = FindBinDirectory();
        var asRoot = LibC.GetEffectiveUserId() == 0;
        if (asRoot) _ = ExternalTool.Require("runuser", "util-linux");
        var directory = System.IO.Directory.CreateTempSubdirectory("eqiot-pg-").FullName;
        var server = new PostgresServer(directory, bin, asRoot, FreePort.Next(), fsync);
        try
        {
            System.IO.Directory.CreateDirectory(server.SocketDirectory);
            if (asRoot) await server.RunAsync("/bin/chown", ["-R", OsUser + ":", directory], asOsUser: false, cancellationToken).ConfigureAwait(false);
            await server.RunAsync(Path.Combine(bin, "initdb"),
                ["-D", server.DataDirectory, "-U", Superuser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"], asOsUser: true,
                cancellationToken).ConfigureAwait(false);
            await server.WriteAccessRulesAsync(cancellationToken).ConfigureAwait(false);
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
            await server.ExecuteAsync("postgres",
                $"CREATE ROLE {PasswordUser} LOGIN PASSWORD '{server.Password}'", cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A connection string for <paramref name="database"/> as the trusted superuser, over TCP.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = Superuser,
        Database = database,
        Timeout = 15,
    }.ConnectionString;

    /// <summary>A connection string for <paramref name="database"/> as <see cref="PasswordUser"/>, without the password.</summary>
    public string PasswordUserConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = PasswordUser,
        Database = database,
        Timeout = 15,
    }.ConnectionString;

    /// <summary>Creates a fresh, empty database (owned by <see cref="PasswordUser"/>) and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = "eqiot_t" + Interlocked.Increment(ref databaseCounter).ToString(CultureInfo.InvariantCulture);
        await ExecuteAsync("postgres", $"CREATE DATABASE {name} OWNER {PasswordUser}", cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>Runs one statement in <paramref name="database"/> as the superuser.</summary>
    public async Task ExecuteAsync(string database, string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops the server: <c>fast</c> (clients disconnected, a clean shutdown) or <c>immediate</c> (like a crash:
    /// recovery from the WAL on the next start). Does nothing when it is not running.
    /// </summary>
    public async Task StopAsync(bool immediate = false, CancellationToken cancellationToken = default)
    {
        if (process is null) return;
        var stopping = process;
        process = null;
        await using (stopping.ConfigureAwait(false))
        {
            if (!stopping.HasExited)
            {
                await RunAsync(Path.Combine(binDirectory, "pg_ctl"),
                    ["stop", "-D", DataDirectory, "-m", immediate ? "immediate" : "fast", "-w", "-t", "60"], asOsUser: true, cancellationToken)
                    .ConfigureAwait(false);
            }
            await stopping.WaitForExitAsync(ToolTimeout, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Starts the server on its data directory and port; returns once it accepts connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning) throw new InvalidOperationException("the PostgreSQL server is already running");
        string[] arguments =
        [
            "-D", DataDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture), "-k", SocketDirectory,
            "-c", "listen_addresses=" + Host, "-c", "fsync=" + (Fsync ? "on" : "off"), "-c", "full_page_writes=" + (Fsync ? "on" : "off"),
            "-c", "max_connections=300", "-c", "shared_buffers=32MB", "-c", "log_min_messages=warning",
        ];
        AppendLog("--- eqiot: starting postgres " + string.Join(' ', arguments));
        var started = Launch(Path.Combine(binDirectory, "postgres"), arguments, asOsUser: true, AppendLog);
        process = started;
        try
        {
            await Wait.UntilAsync(ct => AcceptsAsync(started, ct), StartTimeout, $"PostgreSQL to accept connections on {Host}:{Port}", cancellationToken)
                .ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new InvalidOperationException($"PostgreSQL did not start: {ex.Message}; log:\n{LogTail()}", ex);
        }
    }

    /// <summary>Stops the server (fast or immediate) and starts it again on the same data directory and port.</summary>
    public async Task RestartAsync(bool immediate = false, CancellationToken cancellationToken = default)
    {
        await StopAsync(immediate, cancellationToken).ConfigureAwait(false);
        await StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the server at once and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(immediate: true).ConfigureAwait(false);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static string FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        var candidates = System.IO.Directory.Exists(root)
            ? System.IO.Directory.GetDirectories(root)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0))
                .Where(c => File.Exists(Path.Combine(c.Dir, "postgres")) && File.Exists(Path.Combine(c.Dir, "initdb")))
                .OrderByDescending(c => c.Version)
                .Select(c => c.Dir)
            : [];
        return candidates.FirstOrDefault() ?? throw new InvalidOperationException(
            $"PostgreSQL's 'initdb' and 'postgres' not found under {root}/<version>/bin: install the Debian package 'postgresql' (./eqiot test installs it when run as root)");
    }

    private async Task WriteAccessRulesAsync(CancellationToken cancellationToken)
    {
        // First match wins: the password user must authenticate; everyone else on loopback is trusted (tests only).
        var rules = $"""
            local all all trust
            host all {PasswordUser} 127.0.0.1/32 scram-sha-256
            host all all 127.0.0.1/32 trust
            """;
        var path = Path.Combine(DataDirectory, "pg_hba.conf");
        await File.WriteAllTextAsync(path, rules + "\n", cancellationToken).ConfigureAwait(false);
        if (asRoot) await RunAsync("/bin/chown", [OsUser + ":", path], asOsUser: false, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> AcceptsAsync(ChildProcess started, CancellationToken cancellationToken)
    {
        if (started.HasExited) throw new InvalidOperationException($"PostgreSQL exited during start-up; log:\n{LogTail()}");
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false;Timeout=2");
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NpgsqlException)
        {
            return false; // not listening yet, or "the database system is starting up": poll again
        }
    }

    private ChildProcess Launch(string program, IReadOnlyList<string> arguments, bool asOsUser, Action<string>? onLine)
    {
        var (file, args) = asOsUser && asRoot
            ? ("runuser", (IEnumerable<string>)["-u", OsUser, "--", program, .. arguments])
            : (program, arguments);
        if (file == "runuser") file = ExternalTool.Require("runuser", "util-linux");
        return ChildProcess.Start(file, args, Directory, onStdoutLine: onLine, onStderrLine: onLine);
    }

    private async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asOsUser, CancellationToken cancellationToken)
    {
        await using var tool = Launch(program, arguments, asOsUser, null);
        var exit = await tool.WaitForExitAsync(ToolTimeout, cancellationToken).ConfigureAwait(false);
        if (exit != 0)
        {
            throw new InvalidOperationException(
                $"'{tool.Description}' failed with exit code {exit}:\n{string.Join('\n', tool.StdoutLines.TakeLast(20))}\n{tool.StderrTail()}");
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
}
