using System.Globalization;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;

namespace EquipmentIoT.EdgeAgent.Cli;

/// <summary>
/// Options of <c>eqiot agent mqtt pub|sub</c>, spelled as mosquitto_pub / mosquitto_sub spell them so
/// that an engineer commissioning a site can use what their fingers already know.
/// </summary>
internal sealed class MqttToolOptions
{
    public string Host { get; private set; } = "127.0.0.1";
    public int? Port { get; private set; }
    public List<string> Topics { get; } = [];
    public MqttQualityOfService Qos { get; private set; }
    public string? ClientId { get; private set; }
    public string? UserName { get; private set; }
    public string? Password { get; private set; } = Environment.GetEnvironmentVariable("EQIOT_MQTT_PASSWORD");
    public bool Retain { get; private set; }
    public string? CaFile { get; private set; }
    public string? CertFile { get; private set; }
    public string? KeyFile { get; private set; }
    public bool Insecure { get; private set; }
    public int KeepAliveSeconds { get; private set; } = 60;
    public bool CleanSession { get; private set; } = true;
    public string? Message { get; private set; }
    public string? File { get; private set; }
    public bool Lines { get; private set; }
    public bool Stdin { get; private set; }
    public bool NullMessage { get; private set; }
    public int? Count { get; private set; }
    public int? TimeoutSeconds { get; private set; }
    public bool Verbose { get; private set; }
    public bool Debug { get; private set; }
    public bool Stats { get; private set; }
    public int MaxInflight { get; private set; } = new MqttClientOptions().MaxInflight;
    public string? WillTopic { get; private set; }
    public string? WillPayload { get; private set; }
    public MqttQualityOfService WillQos { get; private set; }
    public bool WillRetain { get; private set; }
    public bool Tls => CaFile is not null || CertFile is not null || Insecure;

    /// <summary>Parses the arguments; returns null and an error for anything it does not understand.</summary>
    public static MqttToolOptions? Parse(IReadOnlyList<string> args, bool publisher, out string? error)
    {
        var o = new MqttToolOptions();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string Value()
            {
                if (i + 1 >= args.Count) throw new FormatException($"{a} needs a value");
                return args[++i];
            }
            int Int(int min, int max)
            {
                var v = Value();
                if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
                    throw new FormatException($"{a} takes a whole number from {min} to {max}, not '{v}'");
                return n;
            }
            try
            {
                switch (a)
                {
                    case "-h" or "--host": o.Host = Value(); break;
                    case "-p" or "--port": o.Port = Int(1, 65535); break;
                    case "-t" or "--topic": o.Topics.Add(Value()); break;
                    case "-q" or "--qos": o.Qos = (MqttQualityOfService)Int(0, 2); break;
                    case "-i" or "--id": o.ClientId = Value(); break;
                    case "-u" or "--username": o.UserName = Value(); break;
                    case "-P" or "--pw": o.Password = Value(); break;
                    case "-k" or "--keepalive": o.KeepAliveSeconds = Int(0, 65535); break;
                    case "-c" or "--disable-clean-session": o.CleanSession = false; break;
                    case "--cafile": o.CaFile = Value(); break;
                    case "--cert": o.CertFile = Value(); break;
                    case "--key": o.KeyFile = Value(); break;
                    case "--insecure": o.Insecure = true; break;
                    case "-d" or "--debug": o.Debug = true; break;
                    case "--will-topic": o.WillTopic = Value(); break;
                    case "--will-payload": o.WillPayload = Value(); break;
                    case "--will-qos": o.WillQos = (MqttQualityOfService)Int(0, 2); break;
                    case "--will-retain": o.WillRetain = true; break;
                    case "--max-inflight": o.MaxInflight = Int(1, 65000); break;
                    case "--stats": o.Stats = true; break;
                    case "-r" or "--retain" when publisher: o.Retain = true; break;
                    case "-m" or "--message" when publisher: o.Message = Value(); break;
                    case "-f" or "--file" when publisher: o.File = Value(); break;
                    case "-l" or "--stdin-line" when publisher: o.Lines = true; break;
                    case "-s" or "--stdin-file" when publisher: o.Stdin = true; break;
                    case "-n" or "--null-message" when publisher: o.NullMessage = true; break;
                    case "-C" or "--count" when !publisher: o.Count = Int(1, int.MaxValue); break;
                    case "-W" or "--timeout" when !publisher: o.TimeoutSeconds = Int(1, 3_600_000); break;
                    case "-v" or "--verbose" when !publisher: o.Verbose = true; break;
                    default:
                        error = $"unknown option '{a}'";
                        return null;
                }
            }
            catch (FormatException ex)
            {
                error = ex.Message;
                return null;
            }
        }
        if (o.Topics.Count == 0) error = "a topic is required (-t)";
        else if (publisher && o.Topics.Count > 1) error = "publish to one topic at a time (-t once)";
        else if (publisher && new[] { o.Message is not null, o.File is not null, o.Lines, o.Stdin, o.NullMessage }.Count(x => x) != 1)
            error = "say what to publish: exactly one of -m, -f, -l, -s, -n";
        else if (o.KeyFile is not null && o.CertFile is null) error = "--key needs --cert";
        else if (!o.CleanSession && string.IsNullOrEmpty(o.ClientId)) error = "-c (persistent session) needs a client id (-i)";
        else if (o.Password is not null && o.UserName is null) error = "a password needs a user name (-u)";
        return error is null ? o : null;
    }

    public MqttClientOptions ToClientOptions(string defaultIdPrefix)
    {
        var b = new MqttClientOptionsBuilder()
            .WithClientId(ClientId ?? $"{defaultIdPrefix}-{Environment.ProcessId}")
            .WithCleanSession(CleanSession)
            .WithKeepAlive(TimeSpan.FromSeconds(KeepAliveSeconds))
            .WithMaxInflight(MaxInflight)
            .WithReconnect(false)
            .With(o => o with { OutgoingHighWaterBytes = 256 * 1024 }); // a field tool needs no 1 MB socket queue
        if (UserName is not null) b.WithCredentials(UserName, Password);
        if (WillTopic is not null)
            b.WithWill(new MqttWill(WillTopic, System.Text.Encoding.UTF8.GetBytes(WillPayload ?? ""), WillQos, WillRetain));
        if (Tls) b.WithTls(CaFile, CertFile, KeyFile, Insecure);
        b.WithBroker(Host, Port);
        return b.Build();
    }

    public const string CommonHelp = """
          -h HOST        broker host (127.0.0.1)        -p PORT      port (1883, 8883 with TLS)
          -t TOPIC       topic                          -q 0|1|2     quality of service (0)
          -i ID          client id                      -k SECONDS   keep-alive (60)
          -u USER        user name                      -P PASSWORD  password (or EQIOT_MQTT_PASSWORD)
          -c             persistent session (needs -i)  -d           print connection events on stderr
          --cafile FILE  trust this CA (PEM); turns TLS on
          --cert FILE --key FILE   client certificate and key (PEM) for mutual TLS
          --insecure     TLS without checking the broker's certificate (commissioning only)
          --will-topic T --will-payload P --will-qos Q --will-retain    last will
        """;
}
