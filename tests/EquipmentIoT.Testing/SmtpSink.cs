using System.Globalization;
using System.Text.Json;

namespace EquipmentIoT.Testing;

/// <summary>
/// A real SMTP server for one test: Debian's aiosmtpd (package <c>python3-aiosmtpd</c>) on a free loopback port, plain
/// text (it offers no STARTTLS), accepting every message and keeping it, byte for byte as the client sent it, as a file
/// in its temp directory. It can answer the first N messages with 451 (a transient refusal) to exercise retries.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    // One file per message: NNNN.json (envelope) is written first, then NNNN.eml appears by rename, so a reader never
    // sees half a message. The answer names the number ("queued as N"), as a relay names its queue id.
    private const string Script = """
        import itertools, json, os, sys, time
        from aiosmtpd.controller import Controller
        out, port, refuse = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        numbers = itertools.count(1)
        refused = itertools.count(1)
        class Sink:
            async def handle_DATA(self, server, session, envelope):
                if next(refused) <= refuse:
                    return "451 4.3.0 Try again later"
                n = next(numbers)
                base = os.path.join(out, "%04d" % n)
                with open(base + ".json", "w") as f:
                    json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos}, f)
                with open(base + ".tmp", "wb") as f:
                    f.write(envelope.original_content)
                os.rename(base + ".tmp", base + ".eml")
                return "250 2.0.0 Ok: queued as %d" % n
        controller = Controller(Sink(), hostname="127.0.0.1", port=port, decode_data=False, enable_SMTPUTF8=True)
        controller.start()
        print("ready", flush=True)
        while True:
            time.sleep(3600)
        """;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly ChildProcess process;
    private readonly string directory;

    private SmtpSink(ChildProcess process, string directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
        MailDirectory = Path.Combine(directory, "mail");
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>Where the received messages are kept.</summary>
    public string MailDirectory { get; }

    /// <summary>Every message received so far, in order.</summary>
    public IReadOnlyList<SmtpSinkMessage> Messages =>
        [.. Directory.GetFiles(MailDirectory, "*.eml").Order(StringComparer.Ordinal).Select(Read)];

    /// <summary>Starts the sink; <paramref name="refuseFirst"/> messages are answered 451 before it accepts any.</summary>
    /// <exception cref="InvalidOperationException">aiosmtpd is missing (the message names its Debian package), or it did not start.</exception>
    public static async Task<SmtpSink> StartAsync(int refuseFirst = 0, CancellationToken cancellationToken = default)
    {
        var python = ExternalTool.RequireDebianPythonModule("aiosmtpd.controller", "python3-aiosmtpd");
        var directory = System.IO.Directory.CreateTempSubdirectory("eqiot-smtp-").FullName;
        var mail = System.IO.Directory.CreateDirectory(Path.Combine(directory, "mail")).FullName;
        var script = Path.Combine(directory, "sink.py");
        await File.WriteAllTextAsync(script, Script, cancellationToken).ConfigureAwait(false);
        var port = FreePort.Next();
        var process = ChildProcess.Start(python,
            [script, mail, port.ToString(CultureInfo.InvariantCulture), refuseFirst.ToString(CultureInfo.InvariantCulture)], directory);
        var sink = new SmtpSink(process, directory, port);
        try
        {
            await Wait.UntilAsync(
                () => process.HasExited
                    ? throw new InvalidOperationException($"aiosmtpd exited: {process.StderrTail()}")
                    : process.StdoutLines.Contains("ready"),
                StartTimeout,
                "aiosmtpd to listen",
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await sink.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return sink;
    }

    /// <summary>Waits (bounded) until at least <paramref name="count"/> messages arrived; returns them all.</summary>
    public async Task<IReadOnlyList<SmtpSinkMessage>> WaitForMessagesAsync(int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await Wait.UntilAsync(() => Messages.Count >= count, timeout, $"{count} message(s) at the SMTP sink", cancellationToken).ConfigureAwait(false);
        return Messages;
    }

    /// <summary>Kills the sink and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync().ConfigureAwait(false);
        System.IO.Directory.Delete(directory, recursive: true);
    }

    private static SmtpSinkMessage Read(string eml)
    {
        using var envelope = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(eml, ".json")));
        var to = envelope.RootElement.GetProperty("to").EnumerateArray().Select(e => e.GetString() ?? "").ToList();
        return new SmtpSinkMessage(envelope.RootElement.GetProperty("from").GetString() ?? "", to, File.ReadAllBytes(eml));
    }
}

/// <summary>A message the sink received: the envelope and the message bytes as sent (headers and body).</summary>
public sealed record SmtpSinkMessage(string MailFrom, IReadOnlyList<string> RcptTo, byte[] Data);
