namespace EquipmentIoT.EdgeAgent.Publishing;

/// <summary>A broker address from configuration or the command line: <c>mqtt://host[:1883]</c> or <c>mqtts://host[:8883]</c>.</summary>
public readonly record struct BrokerAddress(string Host, int Port, bool Tls)
{
    /// <summary>Parses an address; throws <see cref="FormatException"/> with the reason for anything else.</summary>
    public static BrokerAddress Parse(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw new FormatException($"'{text}' is not a broker address; expected mqtt://HOST:PORT or mqtts://HOST:PORT");
        }

        if (uri.UserInfo.Length > 0)
        {
            // Never repeat the address: it holds credentials, and messages end up in logs.
            throw new FormatException("a broker address has no path, query or credentials (put credentials in the configuration: UserName and PasswordFile)");
        }

        if (!uri.IsDefaultPort && uri.Port == 0)
        {
            throw new FormatException($"'{text}': port 0 is not a broker's port");
        }

        var tls = uri.Scheme switch
        {
            "mqtt" or "tcp" => false,
            "mqtts" or "ssl" => true,
            _ => throw new FormatException($"'{text}': unknown scheme '{uri.Scheme}'; expected mqtt:// or mqtts://"),
        };
        if (uri.AbsolutePath is not ("" or "/") || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new FormatException($"'{text}': a broker address has no path, query or credentials (put credentials in the configuration)");
        }

        return new BrokerAddress(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? (tls ? 8883 : 1883) : uri.Port, tls);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{(Tls ? "mqtts" : "mqtt")}://{Host}:{Port}";
}
