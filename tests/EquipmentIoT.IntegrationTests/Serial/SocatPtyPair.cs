using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Serial;

/// <summary>
/// A linked pseudo-terminal pair from Debian's socat (<c>socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B</c>):
/// bytes written to one end are read from the other, like a null-modem cable. Killing socat is unplugging
/// the cable (both ends hang up); starting it again with the same links plugs it back in.
/// </summary>
internal sealed class SocatPtyPair : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly string _directory;
    private ChildProcess? _socat;

    private SocatPtyPair(string directory)
    {
        _directory = directory;
        PathA = System.IO.Path.Combine(directory, "ttyA");
        PathB = System.IO.Path.Combine(directory, "ttyB");
    }

    /// <summary>The link to one end.</summary>
    public string PathA { get; }

    /// <summary>The link to the other end.</summary>
    public string PathB { get; }

    /// <summary>Starts socat in a new temporary directory and waits until both links exist.</summary>
    public static async Task<SocatPtyPair> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("eqiot-serial-").FullName;
        var pair = new SocatPtyPair(directory);
        try
        {
            await pair.PlugInAsync();
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts socat (again) with the same links.</summary>
    public async Task PlugInAsync()
    {
        if (_socat is { HasExited: false }) throw new InvalidOperationException("socat is running already");
        if (_socat is not null) await _socat.DisposeAsync();
        var socat = ExternalTool.Require("socat", "socat");
        _socat = ChildProcess.Start(socat, ["-d", "-d", $"pty,raw,echo=0,link={PathA}", $"pty,raw,echo=0,link={PathB}"]);
        var started = _socat;
        await Wait.UntilAsync(
            () => started.HasExited
                || (started.StderrLines.Any(l => l.Contains("starting data transfer loop", StringComparison.Ordinal)) && File.Exists(PathA) && File.Exists(PathB)),
            StartTimeout, "socat's pty links");
        if (started.HasExited) throw new InvalidOperationException($"socat exited at start: {started.StderrTail()}");
    }

    /// <summary>Stops socat (SIGTERM; it removes the links) and waits for it to exit: both ends hang up.</summary>
    public async Task UnplugAsync()
    {
        if (_socat is null) return;
        _socat.Kill(Signal.Term);
        await _socat.WaitForExitAsync(StartTimeout);
        await _socat.DisposeAsync();
        _socat = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socat is not null) await _socat.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
