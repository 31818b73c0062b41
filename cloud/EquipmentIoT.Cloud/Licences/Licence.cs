using NodaTime;

namespace EquipmentIoT.Cloud.Licences;

/// <summary>
/// A large medical equipment configuration licence (大型医用设备配置许可证): the permission a holder (a hospital) has
/// to buy and install one unit of an equipment type, which it must use before <see cref="Deadline"/>.
/// </summary>
/// <param name="Id">Our row id.</param>
/// <param name="Number">The licence number the authority printed on it (unique).</param>
/// <param name="Category">Class A (甲类, licensed by the national authority) or class B (乙类, by the province).</param>
/// <param name="EquipmentType">What it licenses, e.g. "PET/CT", "1.5T MR".</param>
/// <param name="Holder">The hospital it was issued to.</param>
/// <param name="Region">The province or city (code or name) reports group by.</param>
/// <param name="Authority">Who issued it.</param>
/// <param name="IssueDate">The date of issue.</param>
/// <param name="Deadline">The last day of the purchase window (a local date: the licence's site's calendar).</param>
/// <param name="Form">Whether we hold the original (正本) or a copy (副本).</param>
/// <param name="DeviceId">The device installed under it, once installed.</param>
/// <param name="SiteId">The site whose time zone decides what "today" is for the reminders.</param>
/// <param name="Managers">The people the reminders go to.</param>
/// <param name="Status">Active until a device is installed (fulfilled) or the licence is revoked.</param>
/// <param name="FulfilledOn">When the device was installed (status fulfilled).</param>
/// <param name="RevokedOn">When it was revoked.</param>
/// <param name="StatusNote">Why it was revoked, or a note on the installation.</param>
public sealed record Licence(long Id, string Number, LicenceCategory Category, string EquipmentType, string Holder, string Region, string Authority,
    LocalDate IssueDate, LocalDate Deadline, LicenceForm Form, string? DeviceId, string? SiteId, IReadOnlyList<LicenceManager> Managers,
    LicenceStatus Status, LocalDate? FulfilledOn, LocalDate? RevokedOn, string? StatusNote, Instant Created, Instant Updated);

/// <summary>What a licence says, as created or updated (everything but the status and our bookkeeping).</summary>
public sealed record LicenceDraft(string Number, LicenceCategory Category, string EquipmentType, string Holder, string Region, string Authority,
    LocalDate IssueDate, LocalDate Deadline, LicenceForm Form, string? DeviceId, string? SiteId, IReadOnlyList<LicenceManager> Managers);

/// <summary>A responsible manager: a name and a mobile number in E.164 (<c>+8613800138000</c>).</summary>
public sealed record LicenceManager(string Name, string Phone);

/// <summary>The licence classes of the large medical equipment catalogue.</summary>
public enum LicenceCategory
{
    /// <summary>甲类: licensed by the national health authority.</summary>
    ClassA,

    /// <summary>乙类: licensed by the provincial health authority.</summary>
    ClassB,
}

/// <summary>Which paper we hold.</summary>
public enum LicenceForm
{
    /// <summary>正本.</summary>
    Original,

    /// <summary>副本.</summary>
    Copy,
}

/// <summary>Where a licence is in its life.</summary>
public enum LicenceStatus
{
    /// <summary>Issued, device not yet installed: reminders run.</summary>
    Active,

    /// <summary>The device is installed (<see cref="Licence.DeviceId"/>): reminders stop.</summary>
    Fulfilled,

    /// <summary>Withdrawn by the authority or given up: reminders stop.</summary>
    Revoked,
}
