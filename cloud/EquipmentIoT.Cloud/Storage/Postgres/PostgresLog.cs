using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Cloud.Storage.Postgres;

internal static partial class PostgresLog
{
    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "PostgreSQL {Component} schema on {Database}: {Applied} migration step(s) applied")]
    public static partial void Migrated(ILogger logger, string component, string database, int applied);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "PostgreSQL {Database}: transient failure ({Error}); retry {Attempt} in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string database, string error, int attempt, long delayMs);
}
