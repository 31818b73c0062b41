using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Cloud.Storage.Influx;

internal static partial class InfluxLog
{
    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "InfluxDB {Operation} at {Url} failed (attempt {Attempt}): {Reason}; retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, string operation, Uri url, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "InfluxDB dropped points older than the retention policy of {Database}: {Reason}")]
    public static partial void BeyondRetention(ILogger logger, string database, string reason);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "InfluxDB {Database} at {Url} ready: retention policies {Policies}, continuous queries {Queries} (authentication: {Authentication})")]
    public static partial void Initialized(ILogger logger, string database, Uri url, string policies, string queries, string authentication);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Error, Message = "InfluxDB buffered writer could not send {Points} point(s)")]
    public static partial void FlushFailed(ILogger logger, int points, Exception exception);
}
