namespace EquipmentIoT.Cloud.Notifications.Sms;

/// <summary>
/// Kannel's delivery-report codes, the <c>%d</c> of a dlr-url (Kannel user guide, "dlr-mask" and the sendsms
/// escape codes): 1 delivered to the phone, 2 delivery failed, 4 buffered by the SMSC, 8 accepted by the SMSC
/// (submit), 16 rejected by the SMSC. Requesting all of them is dlr-mask 31.
/// </summary>
public static class KannelDeliveryReport
{
    public const int Delivered = 1;
    public const int Failed = 2;
    public const int Buffered = 4;
    public const int SmscSubmit = 8;
    public const int SmscReject = 16;

    /// <summary>Every code: the dlr-mask that asks for all of them.</summary>
    public const int AllMask = Delivered | Failed | Buffered | SmscSubmit | SmscReject;

    /// <summary>Whether <paramref name="code"/> is one of the five codes Kannel sends (exactly one bit).</summary>
    public static bool IsKnown(int code) => code is Delivered or Failed or Buffered or SmscSubmit or SmscReject;

    /// <summary>
    /// The status a report settles a message in: delivered for 1; failed-permanently for 2 (the SMSC gave up on
    /// the phone) and 16 (the SMSC refused it); null for 4 and 8, which only say it is on its way.
    /// </summary>
    public static NotificationStatus? FinalStatusOf(int code) => code switch
    {
        Delivered => NotificationStatus.Delivered,
        Failed or SmscReject => NotificationStatus.FailedPermanently,
        _ => null,
    };

    /// <summary>The code in words, for the message's last error and logs.</summary>
    public static string Describe(int code) => code switch
    {
        Delivered => "delivered to the phone",
        Failed => "delivery to the phone failed",
        Buffered => "buffered by the SMSC",
        SmscSubmit => "accepted by the SMSC",
        SmscReject => "rejected by the SMSC",
        _ => "unknown",
    };
}
