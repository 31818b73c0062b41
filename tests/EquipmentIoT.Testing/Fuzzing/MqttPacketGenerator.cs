using System.Text;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Packets;

namespace EquipmentIoT.Testing.Fuzzing;

/// <summary>
/// Random but valid MQTT 3.1.1 packets of every type, for round-trip tests and the fuzzer. Everything
/// it makes is accepted by the encoder and, encoded, by the decoder. Deterministic for a seeded
/// <see cref="Random"/>. Text mixes ASCII, Latin-1, Greek, Chinese (3-byte UTF-8) and emoji
/// (surrogate pairs, 4-byte UTF-8); it never holds U+0000, '/', '+', '#' or '$'.
/// </summary>
public sealed class MqttPacketGenerator
{
    private static readonly string[] Pieces =
    [
        "a", "b", "c", "x", "y", "z", "A", "Q", "0", "7", "-", "_", ".", " ", "é", "ß", "α", "Ω",
        "温", "度", "传", "感", "器", "设", "备", "状", "态", "报", "警", "\uFEFF", "😀", "🌡",
    ];

    private readonly Random _random;
    private readonly StringBuilder _text = new();

    /// <summary>Creates a generator drawing from <paramref name="random"/>.</summary>
    public MqttPacketGenerator(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random;
    }

    /// <summary>Largest payload <see cref="Publish"/> makes unless told otherwise.</summary>
    public int MaxPayloadLength { get; init; } = 512;

    /// <summary>A packet of a random type (CONNECT .. DISCONNECT).</summary>
    public MqttPacket Next() => Next((MqttPacketType)_random.Next(1, 15));

    /// <summary>A packet of the given type with random fields.</summary>
    public MqttPacket Next(MqttPacketType type) => type switch
    {
        MqttPacketType.Connect => Connect(),
        MqttPacketType.ConnAck => new MqttConnAckPacket
        {
            SessionPresent = Bool(),
            ReturnCode = (MqttConnectReturnCode)_random.Next(0, 6),
        },
        MqttPacketType.Publish => Publish(),
        MqttPacketType.PubAck => new MqttPubAckPacket { PacketIdentifier = PacketIdentifier() },
        MqttPacketType.PubRec => new MqttPubRecPacket { PacketIdentifier = PacketIdentifier() },
        MqttPacketType.PubRel => new MqttPubRelPacket { PacketIdentifier = PacketIdentifier() },
        MqttPacketType.PubComp => new MqttPubCompPacket { PacketIdentifier = PacketIdentifier() },
        MqttPacketType.Subscribe => Subscribe(),
        MqttPacketType.SubAck => SubAck(),
        MqttPacketType.Unsubscribe => Unsubscribe(),
        MqttPacketType.UnsubAck => new MqttUnsubAckPacket { PacketIdentifier = PacketIdentifier() },
        MqttPacketType.PingReq => MqttPingReqPacket.Instance,
        MqttPacketType.PingResp => MqttPingRespPacket.Instance,
        MqttPacketType.Disconnect => MqttDisconnectPacket.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not an MQTT 3.1.1 packet type"),
    };

    /// <summary>CONNECT with, at random, a will, a user name and a password; protocol level 4 or 3.</summary>
    public MqttConnectPacket Connect()
    {
        var hasWill = Bool();
        var hasUser = Bool();
        // Assigned apart on purpose: in `cond ? bytes : null` the null converts to byte[] and then,
        // through ReadOnlyMemory's implicit conversion, to an empty but non-null password.
        ReadOnlyMemory<byte>? password = null;
        if (hasUser && Bool()) password = Bytes(32);
        return new MqttConnectPacket
        {
            ProtocolLevel = _random.Next(8) == 0 ? (byte)3 : (byte)4,
            ClientId = Text(0, 23),
            CleanSession = Bool(),
            KeepAliveSeconds = (ushort)_random.Next(0, 65536),
            WillTopic = hasWill ? TopicName() : null,
            WillMessage = hasWill ? Bytes(64) : ReadOnlyMemory<byte>.Empty,
            WillQualityOfService = hasWill ? Qos() : MqttQualityOfService.AtMostOnce,
            WillRetain = hasWill && Bool(),
            UserName = hasUser ? Text(0, 16) : null,
            Password = password,
        };
    }

    /// <summary>PUBLISH at a random QoS, with DUP only where 3.3.1-2 allows it.</summary>
    public MqttPublishPacket Publish()
    {
        var qos = Qos();
        return new MqttPublishPacket
        {
            Topic = TopicName(),
            QualityOfService = qos,
            Dup = qos != MqttQualityOfService.AtMostOnce && Bool(),
            Retain = Bool(),
            PacketIdentifier = qos == MqttQualityOfService.AtMostOnce ? (ushort)0 : PacketIdentifier(),
            Payload = Bytes(MaxPayloadLength),
        };
    }

    /// <summary>SUBSCRIBE with 1..6 filters.</summary>
    public MqttSubscribePacket Subscribe()
    {
        var list = new MqttTopicSubscription[_random.Next(1, 7)];
        for (var i = 0; i < list.Length; i++) list[i] = new MqttTopicSubscription(TopicFilter(), Qos());
        return new MqttSubscribePacket { PacketIdentifier = PacketIdentifier(), Subscriptions = list };
    }

    /// <summary>SUBACK with 1..6 return codes, failures included.</summary>
    public MqttSubAckPacket SubAck()
    {
        var codes = new MqttSubscribeReturnCode[_random.Next(1, 7)];
        for (var i = 0; i < codes.Length; i++)
        {
            var n = _random.Next(4);
            codes[i] = n == 3 ? MqttSubscribeReturnCode.Failure : (MqttSubscribeReturnCode)n;
        }
        return new MqttSubAckPacket { PacketIdentifier = PacketIdentifier(), ReturnCodes = codes };
    }

    /// <summary>UNSUBSCRIBE with 1..6 filters.</summary>
    public MqttUnsubscribePacket Unsubscribe()
    {
        var filters = new string[_random.Next(1, 7)];
        for (var i = 0; i < filters.Length; i++) filters[i] = TopicFilter();
        return new MqttUnsubscribePacket { PacketIdentifier = PacketIdentifier(), TopicFilters = filters };
    }

    /// <summary>A topic name (4.7): 1..4 levels, sometimes empty ones, sometimes under <c>$SYS/</c>.</summary>
    public string TopicName()
    {
        var levels = _random.Next(1, 5);
        var sb = new StringBuilder();
        if (_random.Next(10) == 0) sb.Append("$SYS/");
        for (var i = 0; i < levels; i++)
        {
            if (i > 0) sb.Append('/');
            sb.Append(Text(_random.Next(8) == 0 ? 0 : 1, 8));
        }
        return sb.Length == 0 ? "t" : sb.ToString();
    }

    /// <summary>A topic filter (4.7.1): whole-level '+', a final '#', sometimes a <c>$share/group/</c> prefix.</summary>
    public string TopicFilter()
    {
        var sb = new StringBuilder();
        if (_random.Next(8) == 0) sb.Append("$share/").Append(Text(1, 6)).Append('/');
        var levels = _random.Next(1, 5);
        for (var i = 0; i < levels; i++)
        {
            if (i > 0) sb.Append('/');
            var roll = _random.Next(10);
            if (i == levels - 1 && roll == 0) sb.Append('#');
            else if (roll <= 2) sb.Append('+');
            else sb.Append(Text(1, 8));
        }
        return sb.ToString();
    }

    /// <summary>Text of <paramref name="minPieces"/>..<paramref name="maxPieces"/> pieces (a piece is one code point).</summary>
    public string Text(int minPieces, int maxPieces)
    {
        _text.Clear();
        var n = _random.Next(minPieces, maxPieces + 1);
        for (var i = 0; i < n; i++) _text.Append(Pieces[_random.Next(Pieces.Length)]);
        return _text.ToString();
    }

    /// <summary>0..<paramref name="maxLength"/> random bytes.</summary>
    public byte[] Bytes(int maxLength)
    {
        var bytes = new byte[_random.Next(0, maxLength + 1)];
        _random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A packet identifier, 1..65535 (2.3.1).</summary>
    public ushort PacketIdentifier() => (ushort)_random.Next(1, 65536);

    private MqttQualityOfService Qos() => (MqttQualityOfService)_random.Next(0, 3);

    private bool Bool() => _random.Next(2) == 0;
}
