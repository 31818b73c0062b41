using System.Buffers;
using EquipmentIoT.Protocols.Telemetry.Model;

namespace EquipmentIoT.Protocols.Telemetry.Json;

/// <summary>
/// The character rules of SPEC.md §limits, once for UTF-16 (what the writer is given) and once for
/// UTF-8 (what the reader sees), so that the writer never produces what the reader refuses.
/// </summary>
internal static class TelemetryRules
{
    private const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string AgentIdChars = Alnum + "._-";
    private const string DeviceChars = Alnum + "._:-";
    private const string DataKeyChars = Alnum + "_";
    private const string VendorChars = "abcdefghijklmnopqrstuvwxyz0123456789-";
    private const string VendorNameChars = Alnum + "._-";
    private const string Base64UrlChars = Alnum + "-_";

    private static readonly SearchValues<char> AgentId16 = SearchValues.Create(AgentIdChars);
    private static readonly SearchValues<byte> AgentId8 = SearchValues.Create(Ascii(AgentIdChars));
    private static readonly SearchValues<char> Device16 = SearchValues.Create(DeviceChars);
    private static readonly SearchValues<byte> Device8 = SearchValues.Create(Ascii(DeviceChars));
    private static readonly SearchValues<char> DataKey16 = SearchValues.Create(DataKeyChars);
    private static readonly SearchValues<byte> DataKey8 = SearchValues.Create(Ascii(DataKeyChars));
    private static readonly SearchValues<char> Vendor16 = SearchValues.Create(VendorChars);
    private static readonly SearchValues<char> VendorName16 = SearchValues.Create(VendorNameChars);

    /// <summary>The base64url alphabet (RFC 4648 §5) as UTF-8 bytes.</summary>
    internal static readonly SearchValues<byte> Base64Url8 = SearchValues.Create(Ascii(Base64UrlChars));

    private static readonly SearchValues<char> Base64Url16 = SearchValues.Create(Base64UrlChars);

    // Unit: printable ASCII without space, quote and backslash (UCUM's c/s symbols are 0x21-0x7E).
    private static readonly SearchValues<char> Unit16 = SearchValues.Create(UnitChars());
    private static readonly SearchValues<byte> Unit8 = SearchValues.Create(Ascii(UnitChars()));

    private static readonly string[] KnownEventTypes =
    [
        EventTypes.State, EventTypes.Fault, EventTypes.ExamStarted, EventTypes.ExamCompleted, EventTypes.ExamDiscontinued,
        EventTypes.BuildStarted, EventTypes.BuildLayer, EventTypes.BuildFinished, EventTypes.Agent,
    ];

    public const string AgentIdRule = "1 to 64 characters from [A-Za-z0-9._-]";
    public const string DeviceRule = "1 to 64 characters from [A-Za-z0-9._:-]";
    public const string UnitRule = "1 to 32 printable ASCII characters other than space, '\"' and '\\'";
    public const string EventTypeRule = "a type of SPEC.md §event types or \"x-<vendor>.<name>\" (vendor [a-z0-9-], name [A-Za-z0-9._-], at most 64 characters)";
    public const string DataKeyRule = "an ASCII identifier [A-Za-z_][A-Za-z0-9_]* of at most 64 characters";
    public const string HashRule = "43 characters of canonical base64url (RFC 4648 §5, no padding): a SHA-256 hash";

    public static bool IsAgentId(ReadOnlySpan<char> s) => s.Length is > 0 and <= TelemetryLimits.MaxIdLength && !s.ContainsAnyExcept(AgentId16);

    public static bool IsAgentId(ReadOnlySpan<byte> s) => s.Length is > 0 and <= TelemetryLimits.MaxIdLength && !s.ContainsAnyExcept(AgentId8);

    public static bool IsDeviceOrName(ReadOnlySpan<char> s) => s.Length is > 0 and <= TelemetryLimits.MaxIdLength && !s.ContainsAnyExcept(Device16);

    public static bool IsDeviceOrName(ReadOnlySpan<byte> s) => s.Length is > 0 and <= TelemetryLimits.MaxIdLength && !s.ContainsAnyExcept(Device8);

    public static bool IsUnit(ReadOnlySpan<char> s) => s.Length is > 0 and <= TelemetryLimits.MaxUnitLength && !s.ContainsAnyExcept(Unit16);

    public static bool IsUnit(ReadOnlySpan<byte> s) => s.Length is > 0 and <= TelemetryLimits.MaxUnitLength && !s.ContainsAnyExcept(Unit8);

    public static bool IsDataKey(ReadOnlySpan<char> s) =>
        s.Length is > 0 and <= TelemetryLimits.MaxDataKeyLength && !char.IsAsciiDigit(s[0]) && !s.ContainsAnyExcept(DataKey16);

    public static bool IsDataKey(ReadOnlySpan<byte> s) =>
        s.Length is > 0 and <= TelemetryLimits.MaxDataKeyLength && !char.IsAsciiDigit((char)s[0]) && !s.ContainsAnyExcept(DataKey8);

    /// <summary>A known type (ordinal), or <c>x-</c> + vendor + <c>.</c> + name.</summary>
    public static bool IsEventType(ReadOnlySpan<char> s)
    {
        if (s.Length is 0 or > TelemetryLimits.MaxEventTypeLength) return false;
        foreach (var known in KnownEventTypes)
        {
            if (s.SequenceEqual(known)) return true;
        }
        if (!s.StartsWith("x-", StringComparison.Ordinal)) return false;
        var rest = s[2..];
        var dot = rest.IndexOf('.');
        if (dot <= 0 || dot == rest.Length - 1) return false;
        return !rest[..dot].ContainsAnyExcept(Vendor16) && !rest[(dot + 1)..].ContainsAnyExcept(VendorName16);
    }

    /// <summary>A <c>prev</c> or <c>kid</c>: 43 base64url characters whose 2 unused low bits are zero (RFC 4648 §3.5).</summary>
    public static bool IsHashText(ReadOnlySpan<char> s) =>
        s.Length == TelemetryLimits.HashTextLength && !s.ContainsAnyExcept(Base64Url16) && (Base64UrlValue(s[^1]) & 0b11) == 0;

    /// <summary>True when every char is a well-formed UTF-16 sequence (no lone surrogates), so it has a UTF-8 form.</summary>
    public static bool IsWellFormedUtf16(ReadOnlySpan<char> s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (!char.IsSurrogate(c)) continue;
            if (!char.IsHighSurrogate(c) || i + 1 == s.Length || !char.IsLowSurrogate(s[i + 1])) return false;
            i++;
        }
        return true;
    }

    /// <summary>The 6-bit value of a base64url character, or -1.</summary>
    public static int Base64UrlValue(int c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        '_' => 63,
        _ => -1,
    };

    private static string UnitChars()
    {
        var chars = new char[0x7E - 0x21 + 1 - 2];
        var n = 0;
        for (var c = (char)0x21; c <= 0x7E; c++)
        {
            if (c is not ('"' or '\\')) chars[n++] = c;
        }
        return new string(chars);
    }

    private static byte[] Ascii(string chars) => System.Text.Encoding.ASCII.GetBytes(chars);
}
