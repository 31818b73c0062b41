using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Cloud.Licences;

internal static partial class LicenceLog
{
    [LoggerMessage(EventId = 5201, Level = LogLevel.Information,
        Message = "Licence reminders: {Licences} active licence(s), {Decided} reminder(s) decided, {Sent} sent, {Failed} failed, {Retried} retried, {Cancelled} withdrawn")]
    public static partial void Ran(ILogger logger, int licences, int decided, int sent, int failed, int retried, int cancelled);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning,
        Message = "Licence {Number} entered {Band} but has no responsible manager: recorded, nobody told")]
    public static partial void Unaddressed(ILogger logger, string number, string band);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Error, Message = "Licence reminder {Notice} could not be queued; a later run tries again")]
    public static partial void SendFailed(ILogger logger, Exception exception, long notice);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Information, Message = "Licence reminder job fired at {At} ({Trigger})")]
    public static partial void JobFired(ILogger logger, NodaTime.Instant at, Quartz.TriggerKey trigger);
}
