using EquipmentIoT.EdgeAgent.Adapters.Serial;
using EquipmentIoT.Protocols.Serial;
using EquipmentIoT.Protocols.Serial.Framing;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Cli.Probe;

/// <summary>
/// <c>eqiot agent probe serial</c>: opens a port with our termios <see cref="SerialPort"/>, prints each line it
/// receives (framed by <see cref="LineFramer"/>, so control bytes are dropped and counted) and, with a profile,
/// what the agent's <see cref="SerialLineInterpreter"/> makes of it.
/// </summary>
internal static class SerialProbe
{
    public const string Help = """
          eqiot agent probe serial --port /dev/ttyUSB0 [--baud 9600] [--parity none|even|odd] [--data-bits 8] [--stop-bits 1]
                  [--encoding ascii|utf-8|latin1|gb18030] [--line-ending lf|crlf|any] [--profile NAME|FILE] [-C N] [-W SECONDS]
              print each line received (control bytes dropped and counted); with --profile, what the profile's
              serial section makes of it (metrics, state, fault, or "unmatched"); ends after N lines or S seconds
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        string? path = null, encoding = null, ending = null, profileReference = null;
        int? count = null;
        TimeSpan? timeout = null;
        var line = new ProbeSerialLine(9600, SerialParity.None);
        var a = new ProbeArguments(args);
        while (a.Next())
        {
            if (line.TryRead(a)) continue;
            switch (a.Current)
            {
                case "-p" or "--port": path = a.Value(); break;
                case "--encoding": encoding = LineEncodings.IsSupported(a.Value()) ? a.Current : throw new ProbeUsageException($"--encoding takes {string.Join('|', LineEncodings.Names)}"); break;
                case "--line-ending": ending = a.Choice("lf", "crlf", "any"); break;
                case "--profile": profileReference = a.Value(); break;
                case "-C" or "--count": count = a.Int(1, int.MaxValue); break;
                case "-W" or "--timeout": timeout = a.Seconds(); break;
                default: throw a.Unknown();
            }
        }

        if (path is null) throw new ProbeUsageException("say which port: --port /dev/ttyUSB0");
        var profile = profileReference is null ? null
            : ProbeProfiles.Load(profileReference).Serial ?? throw new ProbeUsageException($"profile '{profileReference}' has no serial section");
        var framerOptions = profile?.ToFramerOptions() ?? new LineFramerOptions();
        framerOptions = framerOptions with
        {
            Encoding = encoding ?? framerOptions.Encoding,
            LineEnding = ending switch { "lf" => LineEnding.Lf, "crlf" => LineEnding.CrLf, "any" => LineEnding.Any, _ => framerOptions.LineEnding },
        };
        var settings = line.Settings(path);
        try
        {
            settings.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ProbeUsageException(e.Message);
        }

        var framer = new LineFramer(framerOptions);
        var interpreter = profile is null ? null : new SerialLineInterpreter("probe", profile);
        using var port = SerialPort.Open(settings);
        Console.WriteLine($"-- listening on {settings}, {framerOptions.Encoding}{(profileReference is null ? "" : ", profile " + profileReference)} (Ctrl-C to stop)");

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t) deadline.CancelAfter(t);
        var buffer = new byte[4096];
        var lines = new List<string>();
        var sink = new ProbeSink();
        long received = 0, unmatched = 0;
        string? failure = null;
        try
        {
            while (count is null || received < count)
            {
                var n = await port.ReadAsync(buffer, deadline.Token).ConfigureAwait(false);
                lines.Clear();
                framer.Feed(buffer.AsSpan(0, n), lines);
                foreach (var text in lines.Take(count is null ? int.MaxValue : (int)(count.Value - received)))
                {
                    received++;
                    Console.WriteLine($"[{received}] {ProbeSink.Escape(text)}");
                    if (interpreter is not null && !Interpret(interpreter, text, sink)) unmatched++;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // -W elapsed or Ctrl-C: the summary says how far we got.
        }
        catch (SerialCommunicationException e)
        {
            failure = e.Message; // unplugged (EIO, hang-up): still print what came before
        }

        var s = framer.Statistics;
        Console.WriteLine($"-- {received} lines{(interpreter is null ? "" : $", {unmatched} unmatched")}, {s.OverlongLines} overlong, {s.EncodingErrors} invalid {framerOptions.Encoding}, " +
                          $"{s.EmptyLines} empty, {s.ControlBytes} control bytes dropped ({s.NulBytes} NUL)");
        if (failure is not null)
        {
            await Console.Error.WriteLineAsync($"Error: {failure}").ConfigureAwait(false);
            return 1;
        }

        if (count is { } wanted && received < wanted && !cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"Error: {received} of {wanted} lines within {timeout?.TotalSeconds} s").ConfigureAwait(false);
            return 1;
        }

        return 0;
    }

    // Prints what the profile makes of a line; false when no rule took it.
    private static bool Interpret(SerialLineInterpreter interpreter, string text, ProbeSink sink)
    {
        var result = interpreter.Interpret(text, SystemClock.Instance.GetCurrentInstant(), sink);
        foreach (var reading in sink.Take()) Console.WriteLine($"    {reading}");
        switch (result.Outcome)
        {
            case SerialLineOutcome.Unmatched:
                Console.WriteLine("    unmatched");
                return false;
            case SerialLineOutcome.RegexTimeout:
                Console.WriteLine($"    skipped: a regex ran past {SerialProfile.RegexTimeout.TotalMilliseconds} ms");
                return false;
            default:
                if (result.MissingFields + result.NonNumericFields + result.InvalidValues > 0)
                    Console.WriteLine($"    fields: {result.MissingFields} missing, {result.NonNumericFields} not numeric, {result.InvalidValues} invalid");
                return true;
        }
    }
}
