namespace EquipmentIoT.Protocols.AzureIotHub;

/// <summary>
/// Checks of the names IoT Hub puts into topics, user names and token resources. A device id is "a
/// case-sensitive string (up to 128 characters long) of ASCII 7-bit alphanumeric characters plus certain
/// special characters: <c>- . % _ * ? ! ( ) , : = @ $ '</c>"; <c>+</c> and <c>#</c> are not supported
/// (IoT Hub identity registry, device identity properties). That rules out every character that would
/// change an MQTT topic's meaning ('/', '+', '#', NUL).
/// </summary>
public static class IotHubIdentifiers
{
    /// <summary>Longest device id IoT Hub accepts.</summary>
    public const int MaxDeviceIdLength = 128;

    /// <summary>Checks a device id.</summary>
    /// <returns>Null when valid; otherwise why not.</returns>
    public static string? ValidateDeviceId(string? deviceId)
    {
        if (string.IsNullOrEmpty(deviceId)) return "a device id is required";
        if (deviceId.Length > MaxDeviceIdLength) return $"a device id is at most {MaxDeviceIdLength} characters (has {deviceId.Length})";
        for (var i = 0; i < deviceId.Length; i++)
        {
            var c = deviceId[i];
            if (!char.IsAsciiLetterOrDigit(c) && "-.%_*?!(),:=@$'".IndexOf(c, StringComparison.Ordinal) < 0)
                return $"a device id may hold only ASCII letters, digits and - . % _ * ? ! ( ) , : = @ $ ' (offset {i} is U+{(int)c:X4})";
        }

        return null;
    }

    /// <summary>Checks an IoT hub host name (its full DNS name, e.g. <c>contoso.azure-devices.net</c>).</summary>
    /// <returns>Null when valid; otherwise why not.</returns>
    public static string? ValidateHostName(string? hostName)
    {
        if (string.IsNullOrEmpty(hostName)) return "a host name is required";
        if (hostName.Length > 253) return "a host name is at most 253 characters";
        if (Uri.CheckHostName(hostName) is not (UriHostNameType.Dns or UriHostNameType.IPv4))
            return "the host name must be a DNS name such as contoso.azure-devices.net (no scheme, port or path)";
        return null;
    }

    internal static void ThrowIfInvalidDeviceId(string deviceId)
    {
        if (ValidateDeviceId(deviceId) is { } why) throw new ArgumentException($"device id: {why}", nameof(deviceId));
    }

    internal static void ThrowIfInvalidHostName(string hostName)
    {
        if (ValidateHostName(hostName) is { } why) throw new ArgumentException($"host name: {why}", nameof(hostName));
    }
}
