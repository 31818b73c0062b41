using System.Collections.Concurrent;
using System.Text;
using EquipmentIoT.EdgeAgent.Publishing;
using EquipmentIoT.Protocols.AzureIotHub;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Packets;
using EquipmentIoT.Testing;
using Xunit.Abstractions;

namespace EquipmentIoT.IntegrationTests.AzureIotHub;

/// <summary>
/// The agent's Azure IoT Hub transport against a real mosquitto configured as an IoT Hub stand-in (IoT
/// Hub itself cannot run here; see <see cref="IotHubStandIn"/>): what the CONNECT carries, where batches,
/// replies and twin patches go, how commands arrive, and SAS token renewal.
/// </summary>
public sealed class AzureIotHubTransportTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ConnectAsync_AsIoTHubExpects_DeviceIdUserNamePersistentSessionAndValidSasToken()
    {
        await using var hub = await IotHubStandIn.StartAsync();
        await using var proxy = ConnectRecordingProxy.Start(hub.Broker.Host, hub.Broker.Port);
        await using var transport = IotHubStandIn.CreateTransport(hub.TransportOptions(proxy.Port));
        var before = DateTimeOffset.UtcNow;

        await transport.ConnectAsync(CancellationToken.None);

        Assert.True(transport.IsConnected);
        // mosquitto's own account of the CONNECT: client id, c0 = CleanSession 0, keep-alive, user name.
        await hub.Broker.WaitForLogAsync(
            l => l.Contains($"as {IotHubStandIn.DeviceId} (p2, c0, k60, u'{IotHubStandIn.DeviceUserName}')", StringComparison.Ordinal),
            Timeout, "the device's CONNECT");
        var connect = Assert.Single(proxy.Connects);
        Assert.Equal(IotHubStandIn.DeviceId, connect.ClientId);
        Assert.Equal("127.0.0.1/ct-01/?api-version=2021-04-12", connect.UserName);
        Assert.False(connect.CleanSession);
        var token = SasToken.Parse(Encoding.UTF8.GetString(connect.Password!.Value.Span));
        Assert.True(token.Success, token.Error);
        Assert.Equal("127.0.0.1/devices/ct-01", token.Value.ResourceUri);
        Assert.Null(token.Value.PolicyName);
        Assert.True(token.Value.VerifySignature(Convert.FromBase64String(IotHubStandIn.Key)), "signed with the device key, as documented");
        Assert.InRange(token.Value.ExpiresAt, before.AddHours(1).AddSeconds(-1), DateTimeOffset.UtcNow.AddHours(1).AddSeconds(1));
    }

    [Fact]
    public async Task PublishTelemetryAndReply_ArriveAsDeviceToCloudMessagesWithTheirPropertyBags()
    {
        await using var hub = await IotHubStandIn.StartAsync();
        await using var transport = IotHubStandIn.CreateTransport(hub.TransportOptions());
        await transport.ConnectAsync(CancellationToken.None);
        var jws = "eyJhbGciOiJFUzI1NiJ9.eyJzZXEiOjQyfQ.c2ln"u8.ToArray();

        await transport.PublishTelemetryAsync("events", 42, jws, CancellationToken.None);
        await transport.PublishReplyAsync("resend", """{"republished":3}"""u8.ToArray(), CancellationToken.None);

        const string telemetryTopic = "devices/ct-01/messages/events/stream=events&seq=42&$.ct=application%2fjose&$.ce=utf-8";
        const string replyTopic = "devices/ct-01/messages/events/reply=resend&$.ct=application%2fjson&$.ce=utf-8";
        await hub.WaitForAsync(m => m.Topic == replyTopic, "the reply");
        var telemetry = Assert.Single(hub.Received, m => m.Topic == telemetryTopic);
        Assert.Equal(jws, telemetry.Payload.ToArray());
        Assert.Equal(MqttQualityOfService.AtLeastOnce, telemetry.QualityOfService);
        Assert.False(telemetry.Retain);
        var bag = IotHubPropertyBag.Parse(telemetryTopic.AsSpan("devices/ct-01/messages/events/".Length)).Value;
        Assert.True(bag.TryGetValue(IotHubPropertyBag.ContentType, out var contentType));
        Assert.Equal("application/jose", contentType);
    }

    [Fact]
    public async Task PublishTelemetry_UserNameOtherThanIoTHubExpects_StandInRefusesIt()
    {
        // The control for the test above: the stand-in's ACL really keys on the user name.
        await using var hub = await IotHubStandIn.StartAsync();
        var options = hub.TransportOptions();
        options.ApiVersion = "2016-11-14";
        await using var transport = IotHubStandIn.CreateTransport(options);
        await transport.ConnectAsync(CancellationToken.None);

        await transport.PublishTelemetryAsync("events", 1, "x"u8.ToArray(), CancellationToken.None);

        await hub.Broker.WaitForLogAsync(l => l.Contains("Denied PUBLISH from ct-01", StringComparison.Ordinal), Timeout, "the refused publish");
    }

    [Fact]
    public async Task CloudToDevice_CommandResend_ReachesCommandReceived()
    {
        await using var hub = await IotHubStandIn.StartAsync();
        await using var transport = IotHubStandIn.CreateTransport(hub.TransportOptions());
        var commands = new ConcurrentQueue<(string Name, byte[] Payload)>();
        transport.CommandReceived = (command, _) =>
        {
            commands.Enqueue((command.Name, command.Payload.ToArray()));
            return ValueTask.CompletedTask;
        };
        await transport.ConnectAsync(CancellationToken.None);
        var body = """{"stream":"events","from":7,"to":9}"""u8.ToArray();

        // One without a command property first: completed and ignored; it must not hold up the next.
        await hub.Cloud.PublishAsync("devices/ct-01/messages/devicebound/%24.mid=1&note=hello", "{}"u8.ToArray(), MqttQualityOfService.AtLeastOnce);
        await hub.Cloud.PublishAsync("devices/ct-01/messages/devicebound/%24.mid=2&command=resend", body, MqttQualityOfService.AtLeastOnce);

        await Wait.UntilAsync(() => !commands.IsEmpty, Timeout, "the resend command");
        var (name, payload) = Assert.Single(commands);
        Assert.Equal("resend", name);
        Assert.Equal(body, payload);
    }

    [Fact]
    public async Task CloudToDevice_AsTheBriefWritesIt_CommandResend()
    {
        await using var hub = await IotHubStandIn.StartAsync();
        await using var transport = IotHubStandIn.CreateTransport(hub.TransportOptions());
        var names = new ConcurrentQueue<string>();
        transport.CommandReceived = (command, _) =>
        {
            names.Enqueue(command.Name);
            return ValueTask.CompletedTask;
        };
        await transport.ConnectAsync(CancellationToken.None);

        await hub.Cloud.PublishAsync("devices/ct-01/messages/devicebound/command=resend", "{}"u8.ToArray(), MqttQualityOfService.AtLeastOnce);

        await Wait.UntilAsync(() => names.Contains("resend"), Timeout, "the resend command");
    }

    [Fact]
    public async Task PublishState_ReportedPropertiesPatch_CompletesWhenTheHubAnswers204()
    {
        await using var hub = await IotHubStandIn.StartAsync();
        await using var transport = IotHubStandIn.CreateTransport(hub.TransportOptions());
        await transport.ConnectAsync(CancellationToken.None);
        var state = """{"status":"online","buffer":{"depth":0}}"""u8.ToArray();

        await transport.PublishStateAsync(state, CancellationToken.None).AsTask().WaitAsync(Timeout);

        var patch = Assert.Single(hub.Received, m => m.Topic.StartsWith("$iothub/twin/PATCH/properties/reported/?$rid=", StringComparison.Ordinal));
        Assert.Equal(state, patch.Payload.ToArray());
        Assert.False(patch.Retain);
    }

    [Theory]
    [InlineData(400, false)]
    [InlineData(429, true)]
    public async Task PublishState_HubRefusesThePatch_ThrowsWithTransience(int status, bool transient)
    {
        await using var hub = await IotHubStandIn.StartAsync();
        hub.TwinStatus = status;
        await using var transport = IotHubStandIn.CreateTransport(hub.TransportOptions());
        await transport.ConnectAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<MqttCommunicationException>(() => transport.PublishStateAsync("{}"u8.ToArray(), CancellationToken.None).AsTask());

        Assert.Contains($"status {status}", error.Message, StringComparison.Ordinal);
        Assert.Equal(transient, error.IsTransient);
    }

    [Fact]
    public async Task DisconnectAsync_PatchesOfflineStateThenSaysGoodbye()
    {
        await using var hub = await IotHubStandIn.StartAsync();
        await using var transport = IotHubStandIn.CreateTransport(hub.TransportOptions());
        await transport.ConnectAsync(CancellationToken.None);

        await transport.DisconnectAsync("""{"status":"offline"}"""u8.ToArray(), CancellationToken.None);

        Assert.Contains(hub.Received, m => m.Topic.StartsWith("$iothub/twin/PATCH/", StringComparison.Ordinal)
                                           && Encoding.UTF8.GetString(m.Payload.Span).Contains("offline", StringComparison.Ordinal));
        await hub.Broker.WaitForLogAsync(l => l.Contains("Received DISCONNECT from ct-01", StringComparison.Ordinal), Timeout, "a clean DISCONNECT");
        Assert.False(transport.IsConnected);
    }

    [Fact]
    public async Task KeyFromFile_ConnectsWithTokenSignedByIt()
    {
        await using var hub = await IotHubStandIn.StartAsync();
        await using var proxy = ConnectRecordingProxy.Start(hub.Broker.Host, hub.Broker.Port);
        var keyFile = Path.Combine(hub.Broker.Directory, "device.key");
        await File.WriteAllTextAsync(keyFile, IotHubStandIn.Key + "\n");
        var options = hub.TransportOptions(proxy.Port);
        options.SharedAccessKey = null;
        options.SharedAccessKeyFile = keyFile;
        await using var transport = IotHubStandIn.CreateTransport(options);

        await transport.ConnectAsync(CancellationToken.None);

        var password = Encoding.UTF8.GetString(Assert.Single(proxy.Connects).Password!.Value.Span);
        Assert.True(SasToken.Parse(password).Value.VerifySignature(Convert.FromBase64String(IotHubStandIn.Key)));
    }

    [Fact]
    public void Create_ContradictoryOptions_RefusedWithEveryProblemAndNoKey()
    {
        var error = Assert.Throws<ArgumentException>(() => IotHubStandIn.CreateTransport(new AzureIotHubTransportOptions
        {
            HostName = "contoso.azure-devices.net",
            DeviceId = "ct 01",
            SharedAccessKey = IotHubStandIn.Key,
            CertFile = "/etc/eqiot/device.pem",
            TokenLifetime = TimeSpan.FromSeconds(1),
        }));

        Assert.Contains("DeviceId: a device id may hold only", error.Message, StringComparison.Ordinal);
        Assert.Contains("set exactly one of", error.Message, StringComparison.Ordinal);
        Assert.Contains("TokenLifetime", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(IotHubStandIn.Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishTelemetry_LargerThanIoTHubAccepts_RefusedBeforeSending()
    {
        await using var hub = await IotHubStandIn.StartAsync();
        await using var transport = IotHubStandIn.CreateTransport(hub.TransportOptions());
        await transport.ConnectAsync(CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await transport.PublishTelemetryAsync("metrics", 1, new byte[IotHubMqttConventions.MaxMessageBytes + 1], CancellationToken.None));
    }

    [Fact]
    public async Task TokenRenewal_ThreeSecondTokens_ReconnectsWithFreshTokensAndLosesNothing()
    {
        await using var hub = await IotHubStandIn.StartAsync();
        await using var proxy = ConnectRecordingProxy.Start(hub.Broker.Host, hub.Broker.Port);
        var options = hub.TransportOptions(proxy.Port);
        options.TokenLifetime = TimeSpan.FromSeconds(3);
        await using var transport = IotHubStandIn.CreateTransport(options);
        var connected = 0;
        var disconnected = new ConcurrentQueue<Exception?>();
        transport.Connected += (_, _) => Interlocked.Increment(ref connected);
        transport.Disconnected += (_, e) => disconnected.Enqueue(e);
        await transport.ConnectAsync(CancellationToken.None);

        // Eight publishers keep batches on the wire across at least two renewals (bounded in time and count).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        long seq = 0;
        async Task PublishUntilRenewedTwiceAsync()
        {
            while (proxy.Connects.Count < 3 && DateTime.UtcNow < deadline)
            {
                // A fast machine reaches the cap before the second renewal: then wait for it without publishing.
                if (Interlocked.Read(ref seq) >= 50_000)
                {
                    await Task.Delay(50);
                    continue;
                }

                var n = Interlocked.Increment(ref seq);
                await transport.PublishTelemetryAsync("metrics", n, Encoding.ASCII.GetBytes($"batch-{n}"), CancellationToken.None)
                    .AsTask().WaitAsync(Timeout);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(PublishUntilRenewedTwiceAsync)));

        var connects = proxy.Connects;
        Assert.True(connects.Count >= 3, $"expected two renewals within 30 s, saw {connects.Count} CONNECTs");
        var tokens = connects.Select(c => SasToken.Parse(Encoding.UTF8.GetString(c.Password!.Value.Span)).Value).ToList();
        Assert.All(connects, c => Assert.Equal(IotHubStandIn.DeviceUserName, c.UserName));
        Assert.All(connects, c => Assert.Equal(IotHubStandIn.DeviceId, c.ClientId));
        Assert.All(tokens, t => Assert.True(t.VerifySignature(Convert.FromBase64String(IotHubStandIn.Key))));
        Assert.Equal(connects.Count, connects.Select(c => Encoding.UTF8.GetString(c.Password!.Value.Span)).Distinct().Count());
        Assert.True(tokens[1].ExpiresAtUnixSeconds > tokens[0].ExpiresAtUnixSeconds, "the second CONNECT carries a later expiry");
        Assert.True(transport.Renewals >= 2);
        Assert.Empty(disconnected); // a renewal is not a lost connection
        Assert.True(Volatile.Read(ref connected) >= 3);

        // Every batch reached the "hub" (at least once: a batch cut off by a renewal is sent again).
        var prefix = "devices/ct-01/messages/events/stream=metrics&seq=";
        await Wait.UntilAsync(() => hub.Received.Count(m => m.Topic.StartsWith(prefix, StringComparison.Ordinal)) >= seq, Timeout, $"{seq} batches");
        var seen = hub.Received.Where(m => m.Topic.StartsWith(prefix, StringComparison.Ordinal))
            .Select(m => long.Parse(m.Topic[prefix.Length..m.Topic.IndexOf('&', prefix.Length)], System.Globalization.CultureInfo.InvariantCulture))
            .ToHashSet();
        Assert.Equal(seq, seen.Count);
        Assert.Equal(seq, seen.Max());
        output.WriteLine($"{seq} batches over {connects.Count} connections, {transport.Renewals} renewals, {hub.Received.Count} deliveries");
    }
}
