using EquipmentIoT.Cloud.Licences;
using NodaTime;

namespace EquipmentIoT.Cloud.Api.Contracts;

/// <summary>A licence with its band today (at its site) and the days to its deadline (negative once overdue).</summary>
public sealed record LicenceView(Licence Licence, LicenceBand Band, int DaysLeft, LocalDate Today);

/// <summary>A licence with its band and every reminder decided for it.</summary>
public sealed record LicenceDetail(Licence Licence, LicenceBand Band, int DaysLeft, LocalDate Today, IReadOnlyList<LicenceNotice> Notices);

/// <summary>Records the installation: the device (if not linked already), the date (default today at the site), a note.</summary>
public sealed record FulfilLicenceRequest(string? DeviceId, LocalDate? On, string? Note);

/// <summary>Records a revocation: why (required) and when (default today at the site).</summary>
public sealed record RevokeLicenceRequest(string? Reason, LocalDate? On);
