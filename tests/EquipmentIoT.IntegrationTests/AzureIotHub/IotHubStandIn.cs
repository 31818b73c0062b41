using System.Collections.Concurrent;
using System.Globalization;
using EquipmentIoT.EdgeAgent.Publishing;
using EquipmentIoT.IntegrationTests.Mqtt;
using EquipmentIoT.Protocols.AzureIotHub;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Protocols.Mqtt.Packets;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EquipmentIoT.IntegrationTests.AzureIotHub;

/// <summary>
/// What stands in for Azure IoT Hub, which cannot run here: a real mosquitto whose ACL lets only the user
/// name IoT Hub expects (<c>{host}/{device}/?api-version=2021-04-12</c>) publish to the device's
/// <c>devices/{id}/messages/events/#</c> and twin PATCH topics and read its cloud-to-device and twin
/// response topics, and an observer client ("the cloud") that reads what the device sends, sends
/// cloud-to-device messages, and answers twin PATCH requests on <c>$iothub/twin/res/{status}/?$rid=…</c> as
/// IoT Hub does. mosquitto cannot check SAS tokens: the token is checked by the test against the
/// documented algorithm instead (see <see cref="ConnectRecordingProxy"/>).
/// </summary>
internal sealed class IotHubStandIn : IAsyncDisposable
{
    public const string DeviceId = "ct-01";
    public const string HostName = "127.0.0.1"; // the "hub" is the local broker, so its host name is the loopback address
    public static readonly string Key = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(0xA5 ^ i)).ToArray());
    public static readonly string DeviceUserName = $"{HostName}/{DeviceId}/?api-version={IotHubMqttConventions.DefaultApiVersion}";

    private readonly string _directory;
    private readonly ConcurrentQueue<MqttApplicationMessage> _received = new();
    private int _twinVersion;

    private IotHubStandIn(string directory, MosquittoBroker broker, MqttClient cloud)
    {
        _directory = directory;
        Broker = broker;
        Cloud = cloud;
    }

    public MosquittoBroker Broker { get; }

    /// <summary>The observer: a client with the back end's view of the device's topics.</summary>
    public MqttClient Cloud { get; }

    /// <summary>Status the stand-in answers twin PATCH requests with (IoT Hub: 204, or 400/429/5xx).</summary>
    public int TwinStatus { get; set; } = 204;

    /// <summary>Messages from the device, in arrival order.</summary>
    public IReadOnlyList<MqttApplicationMessage> Received => [.. _received];

    public static async Task<IotHubStandIn> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("eqiot-iothub-").FullName;
        var acl = Path.Combine(directory, "acl");
        await File.WriteAllLinesAsync(acl,
        [
            $"user {DeviceUserName}",
            $"topic write devices/{DeviceId}/messages/events/#",
            "topic write $iothub/twin/PATCH/properties/reported/#",
            $"topic read devices/{DeviceId}/messages/devicebound/#",
            "topic read $iothub/twin/res/#",
            "",
            "user cloud",
            "topic read devices/#",
            "topic read $iothub/#",
            $"topic write devices/{DeviceId}/messages/devicebound/#",
            "topic write $iothub/twin/res/#",
        ]);
        MosquittoBroker? broker = null;
        MqttClient? cloud = null;
        try
        {
            // log_type all: mosquitto then logs each CONNECT's client id, clean-session flag and user name, and denied publishes.
            broker = await MosquittoBroker.StartAsync(new MosquittoOptions { ExtraConfigLines = [$"acl_file {acl}", "log_type all"] });
            var standIn = (IotHubStandIn?)null;
            cloud = new MqttClient(TestClients.For(broker, "iothub-stand-in").WithCredentials("cloud", null).Build())
            {
                MessageReceived = (m, ct) => standIn!.OnDeviceMessageAsync(m, ct),
            };
            standIn = new IotHubStandIn(directory, broker, cloud);
            await cloud.ConnectAsync();
            var granted = await cloud.SubscribeAsync(
            [
                new MqttTopicSubscription($"devices/{DeviceId}/messages/events/#", MqttQualityOfService.AtLeastOnce),
                new MqttTopicSubscription("$iothub/twin/PATCH/#", MqttQualityOfService.AtLeastOnce),
            ]);
            Assert.DoesNotContain(MqttSubscribeReturnCode.Failure, granted);
            return standIn;
        }
        catch
        {
            if (cloud is not null) await cloud.DisposeAsync();
            if (broker is not null) await broker.DisposeAsync();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>Options of the agent's transport for this stand-in: plain TCP (the local broker has no IoT Hub certificate).</summary>
    public AzureIotHubTransportOptions TransportOptions(int? port = null) => new()
    {
        HostName = HostName,
        DeviceId = DeviceId,
        SharedAccessKey = Key,
        Port = port ?? Broker.Port,
        UseTls = false,
        MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        TwinResponseTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>The agent's real transport with <paramref name="options"/>, on the system clock, logging nowhere.</summary>
    public static AzureIotHubTransport CreateTransport(AzureIotHubTransportOptions options) =>
        new(options, TimeProvider.System, NullLogger<AzureIotHubTransport>.Instance);

    public Task WaitForAsync(Func<MqttApplicationMessage, bool> match, string what) =>
        Wait.UntilAsync(() => _received.Any(match), TimeSpan.FromSeconds(20), what);

    public async ValueTask DisposeAsync()
    {
        await Cloud.DisposeAsync();
        await Broker.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async ValueTask OnDeviceMessageAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        _received.Enqueue(message);
        const string patch = "$iothub/twin/PATCH/properties/reported/";
        if (!message.Topic.StartsWith(patch, StringComparison.Ordinal)) return;
        var bag = IotHubPropertyBag.Parse(message.Topic.AsSpan(patch.Length));
        Assert.True(bag.Success, bag.Error);
        Assert.True(bag.Value.TryGetValue("$rid", out var rid));
        var version = Interlocked.Increment(ref _twinVersion).ToString(CultureInfo.InvariantCulture);
        await Cloud.PublishAsync($"$iothub/twin/res/{TwinStatus}/?$rid={rid}&$version={version}", ReadOnlyMemory<byte>.Empty,
            MqttQualityOfService.AtMostOnce, retain: false, cancellationToken);
    }
}
