using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

internal static partial class SqliteStoreLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "SQLite {Component} schema in {Path}: {Applied} migration step(s) applied")]
    public static partial void Migrated(ILogger logger, string component, string path, int applied);
}
