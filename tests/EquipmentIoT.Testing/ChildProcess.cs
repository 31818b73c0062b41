using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace EquipmentIoT.Testing;

/// <summary>
/// A real program started by a test: arguments passed as a list (never through a shell), stdout and
/// stderr captured line by line, stdin open for writing, every wait bounded. Disposing kills it if it
/// is still running.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(10);
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Process process;
    private readonly OutputBuffer stdout;
    private readonly OutputBuffer stderr;

    private ChildProcess(Process process, OutputBuffer stdout, OutputBuffer stderr, string description)
    {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        Description = description;
    }

    /// <summary>The command line, for messages.</summary>
    public string Description { get; }

    /// <summary>The operating-system process id.</summary>
    public int Id => process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>A snapshot of the stdout lines received so far.</summary>
    public IReadOnlyList<string> StdoutLines => stdout.Snapshot();

    /// <summary>A snapshot of the stderr lines received so far.</summary>
    public IReadOnlyList<string> StderrLines => stderr.Snapshot();

    /// <summary>
    /// Starts <paramref name="fileName"/>. <paramref name="environment"/> entries override the inherited
    /// environment; a null value removes the variable. The line callbacks run on a reader thread.
    /// </summary>
    public static ChildProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        Action<string>? onStdoutLine = null,
        Action<string>? onStderrLine = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8NoBom,
            StandardOutputEncoding = Utf8NoBom,
            StandardErrorEncoding = Utf8NoBom,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            startInfo.Environment[name] = value;
        }

        var description = string.Join(' ', startInfo.ArgumentList.Prepend(fileName));
        var stdout = new OutputBuffer(onStdoutLine);
        var stderr = new OutputBuffer(onStderrLine);
        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => stdout.Add(e.Data);
        process.ErrorDataReceived += (_, e) => stderr.Add(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            throw new InvalidOperationException($"cannot start '{description}': {ex.Message}", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process, stdout, stderr, description);
    }

    /// <summary>The last <paramref name="lines"/> stderr lines joined by newlines, for failure messages.</summary>
    public string StderrTail(int lines = 20) => string.Join('\n', stderr.Snapshot().TakeLast(lines));

    /// <summary>Waits until the process exits and its output has been read; returns the exit code.</summary>
    /// <exception cref="TimeoutException">Still running after <paramref name="timeout"/> (the process is left running).</exception>
    /// <exception cref="InvalidOperationException">A line callback threw; it is the inner exception.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"'{Description}' (pid {process.Id}) did not exit within {timeout}; stderr tail:\n{StderrTail()}");
        }

        stdout.ThrowIfCallbackFailed(Description);
        stderr.ThrowIfCallbackFailed(Description);
        return process.ExitCode;
    }

    /// <summary>
    /// Sends <paramref name="signal"/>: <see cref="Signal.Term"/> through kill(2) to this process only,
    /// <see cref="Signal.Kill"/> to the whole process tree. Does nothing if the process has exited.
    /// </summary>
    public void Kill(Signal signal)
    {
        if (process.HasExited)
        {
            return;
        }

        if (signal == Signal.Kill)
        {
            process.Kill(entireProcessTree: true);
            return;
        }

        if (LibC.Kill(process.Id, (int)signal) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != LibC.Esrch)
            {
                throw new InvalidOperationException($"kill({process.Id}, {signal}) failed with errno {errno}");
            }
        }
    }

    /// <summary>Writes <paramref name="text"/> to the process's stdin and flushes it.</summary>
    public async Task WriteStdinAsync(string text, CancellationToken cancellationToken = default)
    {
        await process.StandardInput.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
        await process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes stdin, so the process reads end-of-file.</summary>
    public void CloseStdin() => process.StandardInput.Close();

    /// <summary>Kills the process tree if still running, waits (bounded) for it to go, and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                Kill(Signal.Kill);
                await WaitForExitAsync(KillTimeout).ConfigureAwait(false);
            }
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>Thread-safe line buffer fed by the process reader threads.</summary>
    private sealed class OutputBuffer(Action<string>? onLine)
    {
        private readonly List<string> lines = [];
        private readonly Lock gate = new();
        private Exception? callbackFailure;

        public void Add(string? line)
        {
            if (line is null)
            {
                return; // end of stream
            }

            lock (gate)
            {
                lines.Add(line);
            }

            if (onLine is null || callbackFailure is not null)
            {
                return;
            }

            try
            {
                onLine(line);
            }
#pragma warning disable CA1031 // A throw on the reader thread would crash the test host; it is rethrown by WaitForExitAsync.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                callbackFailure = ex;
            }
        }

        public IReadOnlyList<string> Snapshot()
        {
            lock (gate)
            {
                return [.. lines];
            }
        }

        public void ThrowIfCallbackFailed(string description)
        {
            if (callbackFailure is not null)
            {
                throw new InvalidOperationException($"a line callback for '{description}' threw", callbackFailure);
            }
        }
    }
}
