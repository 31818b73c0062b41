using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Testing;
using Xunit.Abstractions;

namespace EquipmentIoT.IntegrationTests.Mqtt;

/// <summary>Shared subscriptions (<c>$share/group/filter</c>): each message goes to one member of the group.</summary>
public sealed class MqttSharedSubscriptionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SubscribeAsync_TwoMembersOfShareGroup_EachMessageGoesToExactlyOne()
    {
        const int Count = 1_000;
        await using var broker = await MosquittoBroker.StartAsync();
        var first = new SequenceRecorder(Count);
        var second = new SequenceRecorder(Count);
        await using var memberA = await TestClients.StartSubscriberAsync(
            TestClients.For(broker, "share-a").Build(), first.Handler, "$share/g/eqiot/shared/+", MqttQualityOfService.AtLeastOnce);
        await using var memberB = await TestClients.StartSubscriberAsync(
            TestClients.For(broker, "share-b").Build(), second.Handler, "$share/g/eqiot/shared/+", MqttQualityOfService.AtLeastOnce);
        await using var publisher = new MqttClient(TestClients.For(broker, "share-pub").Build());
        await publisher.ConnectAsync();

        await SequencePublisher.PublishAsync(publisher, "eqiot/shared/data", Count, MqttQualityOfService.AtLeastOnce).WaitAsync(Timeout);
        await Wait.UntilAsync(() => first.Total + second.Total >= Count, Timeout, $"{Count} messages across the group");
        // Nothing more can arrive once both have disconnected: the totals are final.
        await memberA.DisconnectAsync();
        await memberB.DisconnectAsync();

        output.WriteLine($"member A: {first.Describe()}");
        output.WriteLine($"member B: {second.Describe()}");
        Assert.InRange(first.Total, 1, Count - 1);
        Assert.InRange(second.Total, 1, Count - 1);
        Assert.Equal(Count, first.Total + second.Total);
        Assert.Equal(0, first.Duplicates + second.Duplicates);
        var atA = Enumerable.Range(0, Count).Where(n => first.Seen(n)).ToHashSet();
        var atB = Enumerable.Range(0, Count).Where(n => second.Seen(n)).ToHashSet();
        Assert.Empty(atA.Intersect(atB));
        Assert.Equal(Count, atA.Union(atB).Count());
    }
}
