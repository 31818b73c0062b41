using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Rules.Engine;
using EquipmentIoT.Cloud.Rules.Parsing;
using EquipmentIoT.Cloud.Tests.Alarms;
using NodaTime;
using static EquipmentIoT.Cloud.Tests.Rules.RuleTestData;

namespace EquipmentIoT.Cloud.Tests.Rules;

public sealed class SqliteRuleStoreTests : IAsyncLifetime
{
    private readonly AlarmStoreDirectory _dir = new();

    public Task InitializeAsync() => _dir.InitializeAsync();

    public Task DisposeAsync() => _dir.DisposeAsync();

    [Fact]
    public async Task SaveAsync_EveryShippedRule_LoadsBackEqual()
    {
        var defaults = RuleDocuments.Defaults().Rules;
        foreach (var rule in defaults) await _dir.Rules.SaveAsync(rule, "admin", T0, CancellationToken.None);
        var loaded = await _dir.Rules.LoadAsync(CancellationToken.None);
        Assert.True(loaded.Success, string.Join("\n", loaded.Errors));
        Assert.Equal(defaults.Select(RuleWriter.ToJson).Order(StringComparer.Ordinal), loaded.Rules.Select(RuleWriter.ToJson).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SaveAsync_SameId_ReplacesAndDeleteRemoves()
    {
        var rule = RuleDocuments.Defaults().Rules[0];
        await _dir.Rules.SaveAsync(rule, "admin", T0, CancellationToken.None);
        await _dir.Rules.SaveAsync(rule with { Enabled = false }, "manager", T0 + Duration.FromHours(1), CancellationToken.None);
        var stored = Assert.Single(await _dir.Rules.ListAsync(CancellationToken.None));
        Assert.Equal((rule.Id, "manager", T0 + Duration.FromHours(1)), (stored.Id, stored.UpdatedBy, stored.UpdatedAt));
        Assert.False(Assert.Single((await _dir.Rules.LoadAsync(CancellationToken.None)).Rules).Enabled);
        Assert.True(await _dir.Rules.DeleteAsync(rule.Id, CancellationToken.None));
        Assert.False(await _dir.Rules.DeleteAsync(rule.Id, CancellationToken.None));
    }

    [Fact]
    public async Task SaveSnapshotAsync_RoundTrip_RestoresTheSameState()
    {
        Assert.Null(await _dir.Rules.LoadSnapshotAsync(CancellationToken.None));
        var rule = Rule("he", new RateOfChangeCondition("helium_level", RateDirection.Falling, 0.5, 0.3, Duration.FromDays(1), Duration.FromHours(6), 5));
        var engine = Engine(rule);
        Feed(engine, "helium_level", T0, Duration.FromMinutes(7), Enumerable.Range(0, 40).Select(i => 78 - i * 0.01));
        engine.Observe(State("mr-01", "compressor", "running", T0));
        var snapshot = engine.Snapshot();
        await _dir.Rules.SaveSnapshotAsync(snapshot, T0 + Duration.FromHours(5), CancellationToken.None);
        await _dir.Rules.SaveSnapshotAsync(snapshot, T0 + Duration.FromHours(6), CancellationToken.None);
        var stored = await _dir.Rules.LoadSnapshotAsync(CancellationToken.None);
        Assert.NotNull(stored?.Snapshot);
        Assert.Equal(T0 + Duration.FromHours(6), stored.TakenAt);
        var restored = new RuleEngine([rule]);
        restored.Restore(stored.Snapshot);
        Assert.Equal(snapshot.ToJson(), restored.Snapshot().ToJson());
    }
}
