using System.Globalization;
using System.Text;
using System.Text.Json;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Mqtt;

/// <summary>
/// Our client against other implementations, both ways, at QoS 1 and 2: mosquitto_pub/mosquitto_sub
/// (libmosquitto, C) and Eclipse Paho (Python, paho-mqtt 1.6.1), with ASCII and UTF-8 Chinese topics and payloads.
/// </summary>
public sealed class MqttInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>(topic, payload) pairs every test sends: plain ASCII, and Chinese in both topic and payload (1.5.3).</summary>
    private static readonly (string Topic, string Payload)[] Messages =
    [
        ("eqiot/interop/ct-1/status", "ready"),
        ("eqiot/interop/设备-1/温度", "温度 21.5 ℃，状态：正常"),
    ];

    // Publishes argv pairs (hex UTF-8, so that no locale can mangle them) and waits for each acknowledgement.
    private const string PahoPublisher = """
        import sys
        import paho.mqtt.client as mqtt
        host, port, qos = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        pairs = [bytes.fromhex(a) for a in sys.argv[4:]]
        client = mqtt.Client(client_id="paho-pub", clean_session=True, protocol=mqtt.MQTTv311)
        client.connect(host, port, keepalive=30)
        client.loop_start()
        for topic, payload in zip(pairs[0::2], pairs[1::2]):
            info = client.publish(topic.decode("utf-8"), payload, qos=qos)
            info.wait_for_publish(timeout=20)
            if not info.is_published():
                sys.exit("not acknowledged: " + topic.hex())
        client.disconnect()
        client.loop_stop()
        """;

    // Subscribes, says SUBSCRIBED once SUBACK is in, prints each message as one JSON line, exits after `count`.
    private const string PahoSubscriber = """
        import json, sys
        import paho.mqtt.client as mqtt
        host, port, topic, qos, count = sys.argv[1], int(sys.argv[2]), bytes.fromhex(sys.argv[3]).decode("utf-8"), int(sys.argv[4]), int(sys.argv[5])
        received = 0
        def on_connect(client, userdata, flags, rc):
            if rc != 0:
                sys.exit("connect refused: %d" % rc)
            client.subscribe(topic, qos)
        def on_subscribe(client, userdata, mid, granted):
            print("SUBSCRIBED %d" % granted[0], flush=True)
        def on_message(client, userdata, msg):
            global received
            print(json.dumps({"topic": msg.topic, "payload": msg.payload.hex(), "qos": msg.qos, "retain": bool(msg.retain)}), flush=True)
            received += 1
            if received >= count:
                client.disconnect()
        client = mqtt.Client(client_id="paho-sub", clean_session=True, protocol=mqtt.MQTTv311)
        client.on_connect, client.on_subscribe, client.on_message = on_connect, on_subscribe, on_message
        client.connect(host, port, keepalive=30)
        client.loop_forever()
        """;

    [Theory]
    [InlineData(MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttQualityOfService.ExactlyOnce)]
    public async Task MessageReceived_FromMosquittoPub_SameTopicPayloadAndQos(MqttQualityOfService qos)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var received = new MessageRecorder();
        await using var subscriber = await TestClients.StartSubscriberAsync(
            TestClients.For(broker, "ours-sub").Build(), received.Handler, "eqiot/interop/#", MqttQualityOfService.ExactlyOnce);

        foreach (var (topic, payload) in Messages)
            await MosquittoClients.PublishAsync(broker, topic, payload, (int)qos);
        await received.WaitForCountAsync(Messages.Length, Timeout, "mosquitto_pub's messages");

        AssertReceived(received.Messages, qos);
    }

    [Theory]
    [InlineData(MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttQualityOfService.ExactlyOnce)]
    public async Task PublishAsync_ToMosquittoSub_PrintsSameTopicPayloadAndQos(MqttQualityOfService qos)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        // -F: %q QoS, %r retain, %t topic, %p payload (mosquitto_sub 2.0 output format).
        await using var mosquittoSub = await MosquittoClients.StartSubscriberAsync(
            broker, "eqiot/interop/#", qos: 2, count: Messages.Length, extraArgs: ["-F", "%q %r %t %p"]);
        await using var publisher = new MqttClient(TestClients.For(broker, "ours-pub").Build());
        await publisher.ConnectAsync();

        foreach (var (topic, payload) in Messages)
            await publisher.PublishAsync(topic, Encoding.UTF8.GetBytes(payload), qos);

        Assert.Equal(0, await mosquittoSub.WaitForExitAsync(Timeout));
        Assert.Equal(Messages.Select(m => $"{(int)qos} 0 {m.Topic} {m.Payload}"), mosquittoSub.StdoutLines);
    }

    [Theory]
    [InlineData(MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttQualityOfService.ExactlyOnce)]
    public async Task MessageReceived_FromPaho_SameTopicPayloadAndQos(MqttQualityOfService qos)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var received = new MessageRecorder();
        await using var subscriber = await TestClients.StartSubscriberAsync(
            TestClients.For(broker, "ours-sub").Build(), received.Handler, "eqiot/interop/#", MqttQualityOfService.ExactlyOnce);

        await using var paho = ChildProcess.Start(ExternalTool.DebianPython,
        [
            "-c", PahoPublisher, broker.Host, Text(broker.Port), Text((int)qos),
            .. Messages.SelectMany(m => new[] { Hex(m.Topic), Hex(m.Payload) }),
        ]);
        Assert.True(await paho.WaitForExitAsync(Timeout) == 0, $"paho publisher failed: {paho.StderrTail()}");
        await received.WaitForCountAsync(Messages.Length, Timeout, "Paho's messages");

        AssertReceived(received.Messages, qos);
    }

    [Theory]
    [InlineData(MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttQualityOfService.ExactlyOnce)]
    public async Task PublishAsync_ToPahoSubscriber_SameTopicPayloadAndQos(MqttQualityOfService qos)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var paho = ChildProcess.Start(ExternalTool.DebianPython,
            ["-c", PahoSubscriber, broker.Host, Text(broker.Port), Hex("eqiot/interop/#"), "2", Text(Messages.Length)]);
        await Wait.UntilAsync(() => paho.StdoutLines.Contains("SUBSCRIBED 2") || paho.HasExited, Timeout, "Paho's SUBACK");
        Assert.False(paho.HasExited, $"paho subscriber exited early: {paho.StderrTail()}");
        await using var publisher = new MqttClient(TestClients.For(broker, "ours-pub").Build());
        await publisher.ConnectAsync();

        foreach (var (topic, payload) in Messages)
            await publisher.PublishAsync(topic, Encoding.UTF8.GetBytes(payload), qos);

        Assert.True(await paho.WaitForExitAsync(Timeout) == 0, $"paho subscriber failed: {paho.StderrTail()}");
        var lines = paho.StdoutLines.Skip(1).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(Messages.Length, lines.Count);
        for (var i = 0; i < Messages.Length; i++)
        {
            Assert.Equal(Messages[i].Topic, lines[i].GetProperty("topic").GetString());
            Assert.Equal(Hex(Messages[i].Payload), lines[i].GetProperty("payload").GetString());
            Assert.Equal((int)qos, lines[i].GetProperty("qos").GetInt32());
            Assert.False(lines[i].GetProperty("retain").GetBoolean());
        }
    }

    private static void AssertReceived(IReadOnlyList<MqttApplicationMessage> received, MqttQualityOfService qos)
    {
        Assert.Equal(Messages.Length, received.Count);
        for (var i = 0; i < Messages.Length; i++)
        {
            Assert.Equal(Messages[i].Topic, received[i].Topic);
            Assert.Equal(Messages[i].Payload, Encoding.UTF8.GetString(received[i].Payload.Span));
            Assert.Equal(qos, received[i].QualityOfService);
            Assert.False(received[i].Retain);
        }
    }

    private static string Hex(string text) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(text));

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
