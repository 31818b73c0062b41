using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace EquipmentIoT.Testing;

/// <summary>
/// A real Kannel SMS gateway for one test: bearerbox, smsbox (HTTP sendsms on a loopback port) and Kannel's fakesmsc
/// as the SMSC, connected to bearerbox as a <c>smsc = fake</c> group, in its own temp directory on free loopback ports.
/// fakesmsc prints every message that would reach a phone; <see cref="Messages"/> holds them, decoded (UCS-2 included),
/// across restarts. <see cref="Create"/> only reserves ports and writes kannel.conf, so a test can point a client at a
/// gateway that is down and start it later. Delivery reports: fakesmsc reports each message delivered (code 1), and
/// bearerbox reports SMSC acceptance (8); smsbox calls the message's dlr-url for those in its dlr-mask.
/// </summary>
public sealed partial class KannelGateway : IAsyncDisposable
{
    /// <summary>The sendsms user's name.</summary>
    public const string UserName = "eqiot";

    /// <summary>The sender smsbox puts on messages that name none (global-sender).</summary>
    public const string Sender = "10086";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly List<string> log = [];
    private readonly List<FakeSmscMessage> messages = [];
    private readonly Lock gate = new();
    private readonly int adminPort;
    private readonly int boxPort;
    private readonly int smscPort;
    private ChildProcess? bearerbox;
    private ChildProcess? smsbox;
    private ChildProcess? fakesmsc;

    private KannelGateway(string directory, string password, int adminPort, int boxPort, int smscPort, int sendSmsPort)
    {
        Directory = directory;
        Password = password;
        this.adminPort = adminPort;
        this.boxPort = boxPort;
        this.smscPort = smscPort;
        SendSmsUrl = new Uri($"http://127.0.0.1:{sendSmsPort.ToString(CultureInfo.InvariantCulture)}/cgi-bin/sendsms");
        ConfigFile = Path.Combine(directory, "kannel.conf");
        PasswordFile = Path.Combine(directory, "sendsms-password");
    }

    /// <summary>The gateway's temp directory (kannel.conf, the password file).</summary>
    public string Directory { get; }

    /// <summary>The generated kannel.conf.</summary>
    public string ConfigFile { get; }

    /// <summary>smsbox's sendsms URL (answers only while the gateway runs).</summary>
    public Uri SendSmsUrl { get; }

    /// <summary>The sendsms user's password (random per gateway).</summary>
    public string Password { get; }

    /// <summary>A file holding <see cref="Password"/> and a newline, as a deployment would have it.</summary>
    public string PasswordFile { get; }

    /// <summary>Whether bearerbox, smsbox and fakesmsc are running.</summary>
    public bool IsRunning => bearerbox is { HasExited: false } && smsbox is { HasExited: false } && fakesmsc is { HasExited: false };

    /// <summary>Every message fakesmsc received, in order, across restarts.</summary>
    public IReadOnlyList<FakeSmscMessage> Messages
    {
        get
        {
            lock (gate)
            {
                return [.. messages];
            }
        }
    }

    /// <summary>Every line the three programs wrote (prefixed with the program), across restarts.</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (gate)
            {
                return [.. log];
            }
        }
    }

    /// <summary>Reserves the ports and writes kannel.conf and the password file; starts nothing.</summary>
    /// <exception cref="InvalidOperationException">A Kannel program is missing (the message names the Debian package).</exception>
    public static KannelGateway Create()
    {
        _ = ExternalTool.KannelBearerbox; // fail before creating anything if a package is missing
        _ = ExternalTool.KannelSmsbox;
        _ = ExternalTool.KannelFakeSmsc;
        var directory = System.IO.Directory.CreateTempSubdirectory("eqiot-kannel-").FullName;
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var gateway = new KannelGateway(directory, password, FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next());
        File.WriteAllText(gateway.ConfigFile, gateway.RenderConfig());
        File.WriteAllText(gateway.PasswordFile, password + "\n");
        return gateway;
    }

    /// <summary>Creates and starts a gateway.</summary>
    public static async Task<KannelGateway> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var gateway = Create();
        try
        {
            await gateway.StartAsync(cancellationToken).ConfigureAwait(false);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts bearerbox, then smsbox once bearerbox listens, then fakesmsc; returns when sendsms answers and fakesmsc is
    /// connected (bounded, 30 s each).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (bearerbox is not null)
        {
            throw new InvalidOperationException("the gateway is running; stop it first");
        }

        bearerbox = Launch("bearerbox", ExternalTool.KannelBearerbox, [ConfigFile]);
        await WaitUntilAsync(bearerbox, ct => ListensAsync(boxPort, ct), "bearerbox to listen for boxes", cancellationToken).ConfigureAwait(false);
        smsbox = Launch("smsbox", ExternalTool.KannelSmsbox, [ConfigFile]);
        await WaitUntilAsync(smsbox, ct => ListensAsync(SendSmsPort, ct), "smsbox to serve sendsms", cancellationToken).ConfigureAwait(false);
        var connected = CountLog("Fakesmsc client connected");
        // No messages of its own (-m 0); stdin stays open, so it keeps running and printing what it receives.
        fakesmsc = Launch("fakesmsc", ExternalTool.KannelFakeSmsc,
            ["-H", "127.0.0.1", "-r", smscPort.ToString(CultureInfo.InvariantCulture), "-m", "0"]);
        await WaitUntilAsync(fakesmsc, _ => Task.FromResult(CountLog("Fakesmsc client connected") > connected), "fakesmsc to connect to bearerbox",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops the three programs (fakesmsc first, bearerbox last): SIGTERM and a bounded wait, or SIGKILL to simulate a
    /// crash. Messages bearerbox still queued are lost (no store-file). Does nothing for programs not running.
    /// </summary>
    public async Task StopAsync(bool graceful = true, CancellationToken cancellationToken = default)
    {
        foreach (var program in new[] { fakesmsc, smsbox, bearerbox })
        {
            if (program is null)
            {
                continue;
            }

            await using (program.ConfigureAwait(false))
            {
                program.Kill(graceful && program != fakesmsc ? Signal.Term : Signal.Kill);
                try
                {
                    await program.WaitForExitAsync(StopTimeout, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    program.Kill(Signal.Kill); // a box that hangs on shutdown is not what the test is about
                }
            }
        }

        fakesmsc = smsbox = bearerbox = null;
    }

    /// <summary>Waits (bounded) until fakesmsc has received at least <paramref name="count"/> messages; returns them all.</summary>
    public async Task<IReadOnlyList<FakeSmscMessage>> WaitForMessagesAsync(int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await Wait.UntilAsync(() => Messages.Count >= count, timeout, $"{count} message(s) at fakesmsc; log tail:\n{LogTail()}", cancellationToken)
            .ConfigureAwait(false);
        return Messages;
    }

    /// <summary>The last lines of the log, for failure messages.</summary>
    public string LogTail(int lines = 40) => string.Join('\n', Log.TakeLast(lines));

    /// <summary>Stops the gateway (SIGKILL) and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(graceful: false).ConfigureAwait(false);
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private int SendSmsPort => SendSmsUrl.Port;

    private string RenderConfig()
    {
        var conf = new StringBuilder();
        void Line(string text) => conf.Append(text).Append('\n');
        string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

        Line("# Written by EquipmentIoT.Testing.KannelGateway for one test run; loopback only.");
        Line("group = core");
        Line($"admin-port = {Port(adminPort)}");
        Line("admin-interface = 127.0.0.1");
        Line($"admin-password = {Password}");
        Line($"smsbox-port = {Port(boxPort)}");
        Line("smsbox-interface = 127.0.0.1");
        Line("box-allow-ip = 127.0.0.1");
        Line("log-level = 1");
        Line("dlr-storage = internal");
        Line("");
        Line("group = smsc");
        Line("smsc = fake");
        Line("smsc-id = fake");
        // The fake SMSC takes a long message whole (a real one gets concatenated parts): tests read the text as the phone shows it.
        Line("max-sms-octets = 1000");
        Line($"port = {Port(smscPort)}");
        Line("our-host = 127.0.0.1");
        Line("connect-allow-ip = 127.0.0.1");
        Line("");
        Line("group = smsbox");
        Line("bearerbox-host = 127.0.0.1");
        Line($"bearerbox-port = {Port(boxPort)}");
        Line($"sendsms-port = {Port(SendSmsPort)}");
        Line("sendsms-interface = 127.0.0.1");
        Line($"global-sender = {Sender}");
        Line("log-level = 1");
        Line("");
        // Concatenated messages up to 10 parts, as the cloud's Notifications:Sms:MaxParts may ask for.
        Line("group = sendsms-user");
        Line($"username = {UserName}");
        Line($"password = {Password}");
        Line("concatenation = true");
        Line("max-messages = 10");
        Line("");
        // smsbox wants a service for messages from phones; fakesmsc sends none (-m 0).
        Line("group = sms-service");
        Line("keyword = default");
        Line("text = \"no service\"");
        return conf.ToString();
    }

    private ChildProcess Launch(string name, string program, string[] arguments)
    {
        AppendLog($"--- eqiot: starting {name}");
        void OnLine(string line)
        {
            AppendLog($"{name}: {line}");
            if (name == "fakesmsc" && FakeSmscMessage.TryParse(line) is { } message)
            {
                lock (gate)
                {
                    messages.Add(message);
                }
            }
        }

        // Kannel logs to stderr; fakesmsc prints what it receives as log lines too.
        return ChildProcess.Start(program, arguments, Directory, onStdoutLine: OnLine, onStderrLine: OnLine);
    }

    private async Task WaitUntilAsync(ChildProcess process, Func<CancellationToken, Task<bool>> ready, string what, CancellationToken cancellationToken)
    {
        try
        {
            await Wait.UntilAsync(
                async ct =>
                {
                    if (process.HasExited)
                    {
                        throw new InvalidOperationException($"'{process.Description}' exited while waiting for {what}; log:\n{LogTail()}");
                    }

                    return await ready(ct).ConfigureAwait(false);
                },
                StartTimeout,
                what,
                cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new InvalidOperationException($"Kannel did not start: {ex.Message}; log:\n{LogTail()}", ex);
        }
    }

    private static async Task<bool> ListensAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private int CountLog(string text) => Log.Count(line => line.Contains(text, StringComparison.Ordinal));

    private void AppendLog(string line)
    {
        lock (gate)
        {
            log.Add(line);
        }
    }
}

/// <summary>
/// One message as fakesmsc printed it (<c>Got message N: &lt;sender receiver type data&gt;</c>): type <c>text</c> is plain,
/// <c>data</c> and <c>ucs-2</c> are URL-encoded bytes (8-bit data; UCS-2 big-endian), <c>udh</c> is a header and data.
/// </summary>
/// <param name="Sender">The sender as bearerbox gave it.</param>
/// <param name="Receiver">The phone number it would reach.</param>
/// <param name="Type">fakesmsc's type word.</param>
/// <param name="Text">The text, decoded (for udh: the data part as UTF-8, unreliable for UCS-2 parts).</param>
/// <param name="Raw">The data as printed.</param>
public sealed partial record FakeSmscMessage(string Sender, string Receiver, string Type, string Text, string Raw)
{
    /// <summary>The message in a fakesmsc output line; null for any other line.</summary>
    public static FakeSmscMessage? TryParse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var match = GotMessage().Match(line);
        if (!match.Success)
        {
            return null;
        }

        var type = match.Groups["type"].Value;
        var data = match.Groups["data"].Value;
        var text = type switch
        {
            "ucs-2" => Encoding.BigEndianUnicode.GetString(System.Web.HttpUtility.UrlDecodeToBytes(data)),
            "data" => Encoding.UTF8.GetString(System.Web.HttpUtility.UrlDecodeToBytes(data)),
            "udh" => Encoding.UTF8.GetString(System.Web.HttpUtility.UrlDecodeToBytes(data[(data.IndexOf(' ', StringComparison.Ordinal) + 1)..])),
            _ => data,
        };
        return new FakeSmscMessage(match.Groups["sender"].Value, match.Groups["receiver"].Value, type, text, data);
    }

    [GeneratedRegex(@"Got message \d+: <(?<sender>\S+) (?<receiver>\S+) (?<type>\S+) (?<data>.*)>$")]
    private static partial Regex GotMessage();
}
