using NodaTime;

namespace EquipmentIoT.Cloud.Licences;

/// <summary>How close a licence is to its deadline, in the order they come.</summary>
public enum LicenceBand
{
    /// <summary>More than six months to go.</summary>
    None,

    /// <summary>From deadline − 6 months.</summary>
    Blue,

    /// <summary>From deadline − 3 months.</summary>
    Yellow,

    /// <summary>From deadline − 1 month, up to and including the deadline day.</summary>
    Orange,

    /// <summary>Overdue: from the day after the deadline.</summary>
    Red,
}

/// <summary>
/// The warning bands of a deadline. Months are calendar months (NodaTime <see cref="LocalDate.PlusMonths"/>, which
/// clamps to the end of a shorter month), so a 31 March deadline is blue from 30 September, yellow from 31 December
/// and orange from the last day of February (28th, or 29th in a leap year).
/// <para>
/// The deadline day itself is orange, not red: the purchase window includes its last day, so a licence is not yet
/// overdue on it. Red starts the day after the deadline.
/// </para>
/// </summary>
public static class LicenceBands
{
    /// <summary>The band of a licence with <paramref name="deadline"/> on the local date <paramref name="today"/>.</summary>
    public static LicenceBand On(LocalDate deadline, LocalDate today) =>
        today > deadline ? LicenceBand.Red
        : today >= StartOf(deadline, LicenceBand.Orange) ? LicenceBand.Orange
        : today >= StartOf(deadline, LicenceBand.Yellow) ? LicenceBand.Yellow
        : today >= StartOf(deadline, LicenceBand.Blue) ? LicenceBand.Blue
        : LicenceBand.None;

    /// <summary>The first day of <paramref name="band"/> for <paramref name="deadline"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="band"/> is <see cref="LicenceBand.None"/> (it has no first day).</exception>
    public static LocalDate StartOf(LocalDate deadline, LicenceBand band) => band switch
    {
        LicenceBand.Blue => deadline.PlusMonths(-6),
        LicenceBand.Yellow => deadline.PlusMonths(-3),
        LicenceBand.Orange => deadline.PlusMonths(-1),
        LicenceBand.Red => deadline.PlusDays(1),
        _ => throw new ArgumentOutOfRangeException(nameof(band), band, "'none' has no first day"),
    };

    /// <summary>Whole days from <paramref name="today"/> to <paramref name="deadline"/> (negative once overdue).</summary>
    public static int DaysLeft(LocalDate deadline, LocalDate today) => Period.Between(today, deadline, PeriodUnits.Days).Days;
}
