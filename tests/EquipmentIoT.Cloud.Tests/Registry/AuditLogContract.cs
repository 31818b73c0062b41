using EquipmentIoT.Cloud.Storage;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Registry;

/// <summary>The behaviour every implementation shares (derived once per database).</summary>
public abstract class AuditLogContract : IAsyncLifetime
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 1, 8, 0);
    private IRecordStores _dir = null!;

    /// <summary>Fresh, empty record stores for one test (not yet initialised).</summary>
    internal abstract IRecordStores NewStores();

    public Task InitializeAsync() => (_dir = NewStores()).InitializeAsync();

    public Task DisposeAsync() => _dir.DisposeAsync();

    private Task Append(int minutes, string actor, string action, string outcome = "200") =>
        _dir.Audit.AppendAsync(new AuditEntry(T0 + Duration.FromMinutes(minutes), actor, "admin", action, "ct-01", outcome, "127.0.0.1"),
            CancellationToken.None);

    [Fact]
    public async Task QueryAsync_AfterAppends_ReturnsNewestFirstWithEveryField()
    {
        await Append(0, "alice", "GET /api/v1/devices");
        await Append(1, "bob", "PUT /api/v1/devices/{id}/asset", "403");
        var records = await _dir.Audit.QueryAsync(new AuditQuery(), CancellationToken.None);
        Assert.Equal(2, records.Count);
        Assert.Equal(new AuditRecord(records[0].Id, T0 + Duration.FromMinutes(1), "bob", "admin", "PUT /api/v1/devices/{id}/asset", "ct-01", "403",
            "127.0.0.1"), records[0]);
        Assert.True(records[0].Id > records[1].Id);
    }

    [Fact]
    public async Task QueryAsync_Filters_ByActorPrefixAndTimeRange()
    {
        await Append(0, "alice", "GET /api/v1/devices");
        await Append(1, "alice", "agents.add");
        await Append(2, "bob", "GET /api/v1/devices/{id}");
        await Append(3, "alice", "GET /api/v1/sites");
        Assert.Equal(3, (await _dir.Audit.QueryAsync(new AuditQuery(Actor: "alice"), CancellationToken.None)).Count);
        Assert.Equal(2, (await _dir.Audit.QueryAsync(new AuditQuery(ActionPrefix: "GET /api/v1/devices"), CancellationToken.None)).Count);
        var range = await _dir.Audit.QueryAsync(new AuditQuery(From: T0 + Duration.FromMinutes(1), To: T0 + Duration.FromMinutes(3)), CancellationToken.None);
        Assert.Equal(["GET /api/v1/devices/{id}", "agents.add"], range.Select(r => r.Action));
        Assert.Single(await _dir.Audit.QueryAsync(new AuditQuery(Limit: 1), CancellationToken.None));
    }

    [Theory]
    [InlineData("UPDATE audit_log SET outcome = 'ok'")]
    [InlineData("DELETE FROM audit_log")]
    public async Task Trigger_UpdateOrDeleteFromAnyClient_IsAbortedAndTheRowStays(string sql)
    {
        await Append(0, "alice", "GET /api/v1/devices", "403");
        var e = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => _dir.ExecuteRawAsync(sql));
        Assert.Contains("append-only", e.Message, StringComparison.Ordinal);
        Assert.Equal("403", Assert.Single(await _dir.Audit.QueryAsync(new AuditQuery(), CancellationToken.None)).Outcome);
    }

    [Fact]
    public void Source_OfTheAuditLog_HasNoUpdateOrDeleteStatement()
    {
        var source = File.ReadAllText(Path.Combine([RepoRoot(), .. _dir.AuditLogSource]));
        var code = string.Join('\n', source.Split('\n').Where(l => !l.Contains("RAISE(ABORT", StringComparison.Ordinal) && !l.Contains("RAISE EXCEPTION", StringComparison.Ordinal) && !l.TrimStart().StartsWith("//", StringComparison.Ordinal)
            && !l.TrimStart().StartsWith("///", StringComparison.Ordinal) && !l.Contains("CREATE TRIGGER", StringComparison.Ordinal)));
        Assert.DoesNotContain("UPDATE audit_log", code, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("DELETE FROM audit_log", code, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AppendAsync_HugeTarget_IsClipped()
    {
        await _dir.Audit.AppendAsync(new AuditEntry(T0, "alice", null, "GET /x", new string('a', 100_000), "200", null), CancellationToken.None);
        var record = Assert.Single(await _dir.Audit.QueryAsync(new AuditQuery(), CancellationToken.None));
        Assert.True(record.Target!.Length < 1000);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EquipmentIoT.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
