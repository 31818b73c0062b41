using System.Text;

namespace EquipmentIoT.Protocols.AzureIotHub;

/// <summary>
/// A device connection string as the Azure portal and CLI show it:
/// <c>HostName={hub}.azure-devices.net;DeviceId={id};SharedAccessKey={base64 key}</c>, optionally with
/// <c>SharedAccessKeyName={policy}</c> (a policy key used on behalf of the device) or <c>x509=true</c>
/// (certificate authentication, no key). Part names are matched case-insensitively; values are taken
/// as they are (a key's '=' padding included). <see cref="ToString"/> never shows the key.
/// </summary>
public sealed class IotHubConnectionString
{
    private readonly byte[] _key;

    private IotHubConnectionString(string hostName, string deviceId, byte[] key, string? keyName, bool x509)
    {
        HostName = hostName;
        DeviceId = deviceId;
        _key = key;
        SharedAccessKeyName = keyName;
        UsesX509 = x509;
    }

    /// <summary>The hub's host name, e.g. <c>contoso.azure-devices.net</c>.</summary>
    public string HostName { get; }

    /// <summary>The device id.</summary>
    public string DeviceId { get; }

    /// <summary>The policy whose key this is, or null for the device's own key.</summary>
    public string? SharedAccessKeyName { get; }

    /// <summary>True for <c>x509=true</c>: the device authenticates with a certificate and has no key.</summary>
    public bool UsesX509 { get; }

    /// <summary>The base64-decoded key (empty with <see cref="UsesX509"/>). A secret: never log it.</summary>
    public ReadOnlySpan<byte> SharedAccessKey => _key;

    /// <summary>Parses a connection string; the reason of a refusal never contains the key.</summary>
    public static IotHubParseResult<IotHubConnectionString> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Fail("the connection string is empty");
        string? host = null, device = null, key = null, keyName = null, x509 = null;
        foreach (var part in text.Split(';'))
        {
            var trimmed = part.Trim();
            if (trimmed.Length == 0) continue; // "a=b;" and "a=b;;c=d" are common
            var eq = trimmed.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) return Fail($"part '{SafeName(trimmed)}' is not Name=value");
            var name = trimmed[..eq].Trim();
            var value = trimmed[(eq + 1)..].Trim();
            ref var slot = ref host;
            if (Is(name, "HostName")) slot = ref host;
            else if (Is(name, "DeviceId")) slot = ref device;
            else if (Is(name, "SharedAccessKey")) slot = ref key;
            else if (Is(name, "SharedAccessKeyName")) slot = ref keyName;
            else if (Is(name, "x509")) slot = ref x509;
            else if (Is(name, "ModuleId")) return Fail("module identities (ModuleId) are not supported: use a device connection string");
            else if (Is(name, "SharedAccessSignature")) return Fail("a connection string with a ready-made SharedAccessSignature cannot be renewed: use the device key");
            else return Fail($"unknown part '{SafeName(name)}'");
            if (slot is not null) return Fail($"{name} appears twice");
            slot = value;
        }

        if (host is null || host.Length == 0) return Fail("HostName is missing");
        if (IotHubIdentifiers.ValidateHostName(host) is { } badHost) return Fail($"HostName: {badHost}");
        if (device is null || device.Length == 0) return Fail("DeviceId is missing");
        if (IotHubIdentifiers.ValidateDeviceId(device) is { } badDevice) return Fail($"DeviceId: {badDevice}");
        var usesX509 = false;
        if (x509 is not null)
        {
            if (!bool.TryParse(x509, out usesX509)) return Fail("x509 must be true or false");
        }

        if (usesX509)
        {
            if (key is not null) return Fail("x509=true and a SharedAccessKey together: choose one way to authenticate");
            return IotHubParseResult<IotHubConnectionString>.Ok(new IotHubConnectionString(host, device, [], null, x509: true));
        }

        if (key is null || key.Length == 0) return Fail("SharedAccessKey is missing (or add x509=true for certificate authentication)");
        var decoded = new byte[key.Length];
        if (!Convert.TryFromBase64String(key, decoded, out var n) || n == 0) return Fail("SharedAccessKey is not base64");
        return IotHubParseResult<IotHubConnectionString>.Ok(
            new IotHubConnectionString(host, device, decoded[..n], string.IsNullOrEmpty(keyName) ? null : keyName, x509: false));
    }

    /// <summary>The connection string with the key replaced by <c>***</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder().Append("HostName=").Append(HostName).Append(";DeviceId=").Append(DeviceId);
        if (SharedAccessKeyName is not null) sb.Append(";SharedAccessKeyName=").Append(SharedAccessKeyName);
        sb.Append(UsesX509 ? ";x509=true" : ";SharedAccessKey=***");
        return sb.ToString();
    }

    private static bool Is(string name, string expected) => string.Equals(name, expected, StringComparison.OrdinalIgnoreCase);

    // A part without '=' might be a pasted key: show only its start if it looks like a name.
    private static string SafeName(string s) => s.Length <= 24 && s.All(char.IsAsciiLetter) ? s : "(not shown)";

    private static IotHubParseResult<IotHubConnectionString> Fail(string why) => IotHubParseResult<IotHubConnectionString>.Fail(why);
}
