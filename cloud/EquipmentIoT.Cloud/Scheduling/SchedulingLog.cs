using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Cloud.Scheduling;

internal static partial class SchedulingLog
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Scheduler {Scheduler}: this instance leads ({Lock}); jobs fire here")]
    public static partial void Leading(ILogger logger, string scheduler, string @lock);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information,
        Message = "Scheduler {Scheduler}: another instance leads ({Lock}); standing by, trying again every {Interval}")]
    public static partial void StandingBy(ILogger logger, string scheduler, string @lock, TimeSpan interval);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Error, Message = "Scheduler: taking the lead failed; trying again in {Interval}")]
    public static partial void LeadFailed(ILogger logger, Exception exception, TimeSpan interval);

}
