using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace EquipmentIoT.Cloud.Tests.Alarms;

/// <summary>A temp directory with records.db holding the alarm and rule stores, migrated.</summary>
public sealed class AlarmStoreDirectory : IAlarmStores
{
    public string Path { get; } = Directory.CreateTempSubdirectory("eqiot-alarms-").FullName;

    public SqliteDatabase Database => new(System.IO.Path.Combine(Path, SqliteRecordStores.RecordsFileName));

    public SqliteAlarmStore Alarms { get; private set; } = null!;

    public SqliteRuleStore Rules { get; private set; } = null!;

    IAlarmStore IAlarmStores.Alarms => Alarms;

    public async Task InitializeAsync()
    {
        Alarms = new SqliteAlarmStore(Database);
        Rules = new SqliteRuleStore(Database);
        await Alarms.InitializeAsync(CancellationToken.None);
        await Rules.InitializeAsync(CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>An alarm store for one test, whatever the database.</summary>
internal interface IAlarmStores : IAsyncLifetime
{
    IAlarmStore Alarms { get; }
}

public sealed class SqliteAlarmManagerTests : AlarmManagerContract
{
    internal override IAlarmStores NewStores() => new AlarmStoreDirectory();
}

/// <summary>Records what it is told.</summary>
internal sealed class RecordingObserver : IAlarmObserver
{
    public List<AlarmNotice> Notices { get; } = [];

    public Task OnAlarmAsync(AlarmNotice notice, CancellationToken cancellationToken)
    {
        Notices.Add(notice);
        return Task.CompletedTask;
    }
}
