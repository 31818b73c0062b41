using System.Buffers;
using EquipmentIoT.Cloud.Storage;
using NodaTime;

namespace EquipmentIoT.Cloud.Registry;

/// <summary>The rules for what people type into the registry: device and site ids, asset fields, time zones.</summary>
public static class RegistryRules
{
    /// <summary>The longest asset text field, site name or description.</summary>
    public const int MaxTextLength = 256;

    private const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    // SPEC.md §4: device ids are 1-64 of [A-Za-z0-9._:-]; site ids follow the agent id rule, [A-Za-z0-9._-].
    private static readonly SearchValues<char> DeviceChars = SearchValues.Create(Alnum + "._:-");
    private static readonly SearchValues<char> SiteChars = SearchValues.Create(Alnum + "._-");

    /// <summary>Null when <paramref name="id"/> is a device id of SPEC.md §4; otherwise why not.</summary>
    public static string? ValidateDeviceId(string? id) =>
        id is { Length: > 0 and <= 64 } && !id.AsSpan().ContainsAnyExcept(DeviceChars) ? null : "a device id must be 1 to 64 characters from [A-Za-z0-9._:-]";

    /// <summary>Null when <paramref name="id"/> is a valid site id; otherwise why not.</summary>
    public static string? ValidateSiteId(string? id) =>
        id is { Length: > 0 and <= 64 } && !id.AsSpan().ContainsAnyExcept(SiteChars) ? null : "a site id must be 1 to 64 characters from [A-Za-z0-9._-]";

    /// <summary>The IANA zone, or a <see cref="RegistryException"/> naming the unknown id.</summary>
    public static DateTimeZone RequireZone(string? zoneId) =>
        (zoneId is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId))
        ?? throw new RegistryException($"'{zoneId}' is not an IANA time zone id known to tzdb {DateTimeZoneProviders.Tzdb.VersionId} (e.g. 'Asia/Shanghai', 'Europe/Berlin')");

    /// <summary>Throws a <see cref="RegistryException"/> when a text field is too long or holds control characters.</summary>
    public static void CheckText(string field, string? value)
    {
        if (value is null) return;
        if (value.Length > MaxTextLength) throw new RegistryException($"{field} is longer than {MaxTextLength} characters");
        if (value.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0) throw new RegistryException($"{field} contains control characters");
    }

    /// <summary>Checks every text field of an asset record.</summary>
    public static void CheckAsset(AssetRecord asset)
    {
        ArgumentNullException.ThrowIfNull(asset);
        CheckText("deviceClass", asset.DeviceClass);
        CheckText("manufacturer", asset.Manufacturer);
        CheckText("model", asset.Model);
        CheckText("serialNumber", asset.SerialNumber);
        CheckText("department", asset.Department);
        CheckText("location", asset.Location);
        CheckText("ownerUnit", asset.OwnerUnit);
        CheckText("licenceNumber", asset.LicenceNumber);
        CheckText("name", asset.Name);
        if (asset.Site is not null && ValidateSiteId(asset.Site) is { } siteError) throw new RegistryException($"site '{asset.Site}': {siteError}");
    }
}
