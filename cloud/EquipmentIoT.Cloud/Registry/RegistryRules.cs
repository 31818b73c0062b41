using System.Buffers;
using System.Security.Cryptography;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Topics;
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

    /// <summary>Throws a <see cref="RegistryException"/> unless the agent's id and description are acceptable (every registry store).</summary>
    public static void CheckNewAgent(NewAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (TelemetryTopics.ValidateAgentId(agent.Id) is { } idError) throw new RegistryException($"agent id '{agent.Id}': {idError}");
        if (agent.Description is { Length: > MaxTextLength })
            throw new RegistryException($"the description of agent '{agent.Id}' is longer than {MaxTextLength} characters");
    }

    /// <summary>Throws a <see cref="RegistryException"/> unless a revocation of <paramref name="kid"/> gives an acceptable reason.</summary>
    public static void CheckRevocation(string kid, string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new RegistryException($"revoking key {kid} needs a reason");
        if (reason.Length > MaxTextLength) throw new RegistryException($"the revocation reason is longer than {MaxTextLength} characters");
    }

    /// <summary>
    /// The kid (RFC 7638 thumbprint) and canonical PEM of an agent's public key, or a <see cref="RegistryException"/> naming
    /// <paramref name="source"/> and what is wrong with it.
    /// </summary>
    public static (string Kid, string Pem) ReadKey(string? pem, string source)
    {
        if (string.IsNullOrWhiteSpace(pem)) throw new RegistryException($"{source} is missing (a PEM 'PUBLIC KEY' block is expected)");
        try
        {
            using var key = AgentKeys.ImportPublicKeyPem(pem, source);
            return (JwkThumbprint.Compute(key), AgentKeys.ExportPublicKeyPem(key));
        }
        catch (AgentKeyException ex)
        {
            throw new RegistryException(ex.Message);
        }
        catch (CryptographicException ex)
        {
            throw new RegistryException($"{source}: {ex.Message}");
        }
    }
}
