using System.Globalization;

namespace EquipmentIoT.Protocols.AzureIotHub;

/// <summary>
/// What a device sends and expects when it talks MQTT 3.1.1 to IoT Hub directly ("Communicate with an IoT
/// hub using the MQTT protocol"): client id = device id; user name
/// <c>{hostName}/{deviceId}/?api-version=2021-04-12</c>; password a SAS token (or none with an X.509
/// client certificate); TLS on port 8883 (IoT Hub refuses plain TCP); QoS 0 or 1 only (QoS 2 closes the
/// connection); no retained messages (RETAIN becomes an <c>mqtt-retain</c> property); 256 KB per message.
/// </summary>
public static class IotHubMqttConventions
{
    /// <summary>The API version Microsoft's article puts in the user name.</summary>
    public const string DefaultApiVersion = "2021-04-12";

    /// <summary>MQTT over TLS; IoT Hub has no plain-TCP listener.</summary>
    public const int Port = 8883;

    /// <summary>Largest device-to-cloud message IoT Hub accepts over MQTT (256 KB).</summary>
    public const int MaxMessageBytes = 256 * 1024;

    /// <summary>Longest keep-alive IoT Hub honours: its 1767 s server timeout is 1.5 × the client's value.</summary>
    public static readonly TimeSpan MaxKeepAlive = TimeSpan.FromSeconds(1177);

    /// <summary>Content type of our telemetry: a JWS compact serialisation (RFC 7515, media type <c>application/jose</c>).</summary>
    public const string JoseContentType = "application/jose";

    /// <summary>Content type of JSON bodies (command replies).</summary>
    public const string JsonContentType = "application/json";

    /// <summary>Content encoding of our bodies.</summary>
    public const string Utf8ContentEncoding = "utf-8";

    /// <summary>Filter for responses to twin requests: <c>$iothub/twin/res/#</c>.</summary>
    public const string TwinResponseFilter = "$iothub/twin/res/#";

    private const string TwinResponsePrefix = "$iothub/twin/res/";

    /// <summary>The MQTT client id: the device id itself.</summary>
    public static string ClientId(string deviceId)
    {
        IotHubIdentifiers.ThrowIfInvalidDeviceId(deviceId);
        return deviceId;
    }

    /// <summary>The MQTT user name: <c>{hostName}/{deviceId}/?api-version={apiVersion}</c>.</summary>
    public static string UserName(string hostName, string deviceId, string apiVersion = DefaultApiVersion)
    {
        IotHubIdentifiers.ThrowIfInvalidHostName(hostName);
        IotHubIdentifiers.ThrowIfInvalidDeviceId(deviceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiVersion);
        if (!IsPlainToken(apiVersion)) throw new ArgumentException("an api-version is letters, digits, '-' and '.'", nameof(apiVersion));
        return $"{hostName}/{deviceId}/?api-version={apiVersion}";
    }

    /// <summary>
    /// The device-to-cloud topic: <c>devices/{deviceId}/messages/events/{property_bag}</c> (the trailing
    /// '/' stays when the bag is empty, as the article writes it).
    /// </summary>
    public static string TelemetryTopic(string deviceId, IotHubPropertyBag? properties = null)
    {
        IotHubIdentifiers.ThrowIfInvalidDeviceId(deviceId);
        return $"devices/{deviceId}/messages/events/{properties?.Format()}";
    }

    /// <summary>The topic filter for cloud-to-device messages: <c>devices/{deviceId}/messages/devicebound/#</c>.</summary>
    public static string CloudToDeviceFilter(string deviceId)
    {
        IotHubIdentifiers.ThrowIfInvalidDeviceId(deviceId);
        return $"devices/{deviceId}/messages/devicebound/#";
    }

    /// <summary>
    /// Parses a cloud-to-device topic, <c>devices/{deviceId}/messages/devicebound/</c> followed by an optional
    /// property bag, for <paramref name="deviceId"/>; anything else is refused with the reason.
    /// </summary>
    public static IotHubParseResult<IotHubPropertyBag> ParseCloudToDeviceTopic(string topic, string deviceId)
    {
        ArgumentNullException.ThrowIfNull(topic);
        IotHubIdentifiers.ThrowIfInvalidDeviceId(deviceId);
        var prefix = $"devices/{deviceId}/messages/devicebound";
        if (!topic.StartsWith(prefix, StringComparison.Ordinal))
            return IotHubParseResult<IotHubPropertyBag>.Fail($"not a cloud-to-device topic of device '{deviceId}'");
        var rest = topic.AsSpan(prefix.Length);
        if (rest.Length == 0) return IotHubParseResult<IotHubPropertyBag>.Ok(new IotHubPropertyBag());
        if (rest[0] != '/') return IotHubParseResult<IotHubPropertyBag>.Fail($"not a cloud-to-device topic of device '{deviceId}'");
        rest = rest[1..];
        if (rest.IndexOf('/') >= 0) return IotHubParseResult<IotHubPropertyBag>.Fail($"'/' at offset {prefix.Length + 1 + rest.IndexOf('/')}: a property bag is one topic level");
        var bag = IotHubPropertyBag.Parse(rest);
        return bag.Success ? bag : IotHubParseResult<IotHubPropertyBag>.Fail($"property bag: {bag.Error}");
    }

    /// <summary>The topic that updates reported properties: <c>$iothub/twin/PATCH/properties/reported/?$rid={requestId}</c>.</summary>
    public static string TwinReportedPatchTopic(string requestId)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        return $"$iothub/twin/PATCH/properties/reported/?$rid={IotHubUrlEncoding.Encode(requestId)}";
    }

    /// <summary>The reported-properties patch topic for a numeric request id.</summary>
    public static string TwinReportedPatchTopic(long requestId) => TwinReportedPatchTopic(requestId.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Parses a twin response topic, <c>$iothub/twin/res/{status}/?$rid={request id}[&amp;$version={version}]</c>.
    /// The status must be a number and the request id present.
    /// </summary>
    public static IotHubParseResult<IotHubTwinResponse> ParseTwinResponseTopic(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (!topic.StartsWith(TwinResponsePrefix, StringComparison.Ordinal))
            return IotHubParseResult<IotHubTwinResponse>.Fail("not a twin response topic ($iothub/twin/res/…)");
        var rest = topic.AsSpan(TwinResponsePrefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0) return IotHubParseResult<IotHubTwinResponse>.Fail($"no status at offset {TwinResponsePrefix.Length}");
        if (!int.TryParse(rest[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status is < 100 or > 999)
            return IotHubParseResult<IotHubTwinResponse>.Fail($"status at offset {TwinResponsePrefix.Length} is not a three-digit number");
        var bag = IotHubPropertyBag.Parse(rest[(slash + 1)..]);
        if (!bag.Success) return IotHubParseResult<IotHubTwinResponse>.Fail($"property bag: {bag.Error}");
        if (!bag.Value.TryGetValue("$rid", out var rid) || string.IsNullOrEmpty(rid))
            return IotHubParseResult<IotHubTwinResponse>.Fail("the request id ($rid) is missing");
        long? version = null;
        if (bag.Value.TryGetValue("$version", out var v) && v is not null)
        {
            if (!long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                return IotHubParseResult<IotHubTwinResponse>.Fail("$version is not a number");
            version = parsed;
        }

        return IotHubParseResult<IotHubTwinResponse>.Ok(new IotHubTwinResponse(status, rid, version));
    }

    private static bool IsPlainToken(string s)
    {
        foreach (var c in s)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '.')) return false;
        return true;
    }
}

/// <summary>A response to a twin request: HTTP-like status, the request id it answers, and the new version.</summary>
/// <param name="Status">204 for a reported-properties update done, 200 for a twin read; 400 malformed, 429 throttled, 5xx server errors.</param>
/// <param name="RequestId">The <c>$rid</c> of the request.</param>
/// <param name="Version">The reported properties' version after the update, when IoT Hub sent one.</param>
public readonly record struct IotHubTwinResponse(int Status, string RequestId, long? Version)
{
    /// <summary>True for 2xx.</summary>
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>True when trying again later can help: throttling (429) and server errors (5xx).</summary>
    public bool IsTransient => Status == 429 || Status >= 500;
}
