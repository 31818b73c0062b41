using System.Globalization;

namespace EquipmentIoT.Protocols.Gs1;

/// <summary>
/// A YYMMDD date of AI (11) production date or AI (17) expiry date. The century is not in the data: it is
/// resolved against a reference date the caller passes (GS1 General Specifications §7.12), never the system
/// clock. Day 00 means "no day given" (§3.4, notes to AI (11) and (17)) and stands for the last day of the
/// month, leap years included: 130200 is 28 February 2013, 160200 is 29 February 2016.
/// </summary>
public sealed record Gs1Date
{
    private Gs1Date(int year, int month, int day)
    {
        Year = year;
        Month = month;
        Day = day;
    }

    /// <summary>The four-digit year, resolved by the century rule.</summary>
    public int Year { get; }

    /// <summary>1–12.</summary>
    public int Month { get; }

    /// <summary>1–31, or 0 when the data gave no day (DD = 00).</summary>
    public int Day { get; }

    /// <summary>True when DD was 00; <see cref="ToDateOnly"/> then gives the last day of the month.</summary>
    public bool IsDayUnspecified => Day == 0;

    /// <summary>The calendar date; the last day of the month when no day was given.</summary>
    public DateOnly ToDateOnly() => new(Year, Month, Day == 0 ? DateTime.DaysInMonth(Year, Month) : Day);

    /// <summary>The six digits of the data field. The century is dropped: it reads back the same only within the §7.12 window of the reference date.</summary>
    public string ToYymmdd() => string.Create(CultureInfo.InvariantCulture, $"{Year % 100:D2}{Month:D2}{Day:D2}");

    /// <summary>A date with its day.</summary>
    public static Gs1Date FromDate(DateOnly date) => new(date.Year, date.Month, date.Day);

    /// <summary>A month with no day given (DD = 00), read as the month's last day.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Year outside 1–9999 or month outside 1–12.</exception>
    public static Gs1Date MonthOnly(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        return new Gs1Date(year, month, 0);
    }

    /// <summary>Reads six digits YYMMDD, resolving the century against <paramref name="referenceDate"/>.</summary>
    public static Gs1Result<Gs1Date> Parse(string? yymmdd, DateOnly referenceDate)
    {
        var date = Read((yymmdd ?? "").AsSpan(), referenceDate, out var problem);
        return date is null ? Gs1Result<Gs1Date>.Fail(problem.Describe("date", 0)) : Gs1Result<Gs1Date>.Ok(date);
    }

    /// <summary>
    /// The four-digit year of a two-digit year (§7.12): with D = YY minus the reference year's last two digits,
    /// D of 51 to 99 is the previous century, D of -50 to -99 the next, anything else the reference year's own.
    /// So a date reaches 49 years back and 50 years ahead (in 2026: 1977 to 2076).
    /// </summary>
    /// <param name="twoDigitYear">0–99.</param>
    /// <param name="referenceDate">Usually today, from the caller's clock.</param>
    public static int ResolveYear(int twoDigitYear, DateOnly referenceDate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(twoDigitYear);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(twoDigitYear, 99);
        var current = referenceDate.Year % 100;
        var century = referenceDate.Year - current;
        var difference = twoDigitYear - current;
        if (difference >= 51) century -= 100;
        else if (difference <= -50) century += 100;
        return century + twoDigitYear;
    }

    /// <summary><c>ToString</c>: ISO 8601, "yyyy-MM" alone when no day was given.</summary>
    public override string ToString() => Day == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}")
        : string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}-{Day:D2}");

    /// <summary>Checks six characters; a problem's offset is into them.</summary>
    internal static Gs1Date? Read(ReadOnlySpan<char> yymmdd, DateOnly referenceDate, out Gs1Problem problem)
    {
        if (yymmdd.Length != 6)
        {
            problem = new Gs1Problem(string.Create(CultureInfo.InvariantCulture, $"value has {yymmdd.Length} characters, expected 6"), 0);
            return null;
        }
        var bad = Gs1Characters.IndexOfNonDigit(yymmdd);
        if (bad >= 0)
        {
            problem = new Gs1Problem($"character {Gs1Characters.Describe(yymmdd[bad])} is not a digit", bad);
            return null;
        }

        var year = ResolveYear(TwoDigits(yymmdd, 0), referenceDate);
        var month = TwoDigits(yymmdd, 2);
        var day = TwoDigits(yymmdd, 4);
        var why = year is < 1 or > 9999 ? "year out of range"
            : month is < 1 or > 12 ? string.Create(CultureInfo.InvariantCulture, $"month {month:D2}")
            : day > DateTime.DaysInMonth(year, month) ? string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{month:D2} has {DateTime.DaysInMonth(year, month)} days")
            : null;
        if (why is not null)
        {
            problem = new Gs1Problem($"{yymmdd} is not a valid date ({why})");
            return null;
        }
        problem = default;
        return new Gs1Date(year, month, day);
    }

    private static int TwoDigits(ReadOnlySpan<char> digits, int at) => (digits[at] - '0') * 10 + (digits[at + 1] - '0');
}
