using System.Text;

namespace EquipmentIoT.Protocols.AzureIotHub;

/// <summary>
/// The <c>{property_bag}</c> at the end of IoT Hub's message topics: URL-encoded <c>name=value</c> pairs
/// joined by '&amp;' ("uses the same encoding as query strings in the HTTPS protocol"). System properties
/// have names starting with '$' (<c>$.ct</c> content type, <c>$.ce</c> content encoding, <c>$.mid</c>
/// message id, …); application properties use their own names. In cloud-to-device topics a property
/// whose value is null appears as <c>name</c> alone and an empty one as <c>name=</c>.
/// </summary>
public sealed class IotHubPropertyBag
{
    /// <summary>System property: content type of the body.</summary>
    public const string ContentType = "$.ct";

    /// <summary>System property: content encoding (charset) of the body.</summary>
    public const string ContentEncoding = "$.ce";

    /// <summary>System property: message id.</summary>
    public const string MessageId = "$.mid";

    private readonly List<KeyValuePair<string, string?>> _properties = [];

    /// <summary>The properties in order; a value is null when the name stood alone.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Properties => _properties;

    /// <summary>Number of properties.</summary>
    public int Count => _properties.Count;

    /// <summary>Adds a property (names may repeat on the wire; <see cref="TryGetValue"/> returns the first).</summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public IotHubPropertyBag Add(string name, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _properties.Add(new(name, value));
        return this;
    }

    /// <summary>The first property called <paramref name="name"/> (ordinal, case-sensitive).</summary>
    public bool TryGetValue(string name, out string? value)
    {
        foreach (var (n, v) in _properties)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                value = v;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>
    /// The encoded bag, e.g. <c>stream=events&amp;seq=7&amp;$.ct=application%2fjose&amp;$.ce=utf-8</c>. Names
    /// and values are percent-encoded (lower-case hex); the '$' of system property names stays as in
    /// Microsoft's examples (<c>$.ct=application%2Fjson&amp;$.ce=utf-8</c>).
    /// </summary>
    public string Format()
    {
        var sb = new StringBuilder();
        foreach (var (name, value) in _properties)
        {
            if (sb.Length > 0) sb.Append('&');
            sb.Append(IotHubUrlEncoding.Encode(name, keepDollar: true));
            if (value is not null) sb.Append('=').Append(IotHubUrlEncoding.Encode(value));
        }

        return sb.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => Format();

    /// <summary>Parses an encoded bag (a leading '?' is skipped); refuses bad escapes and empty names.</summary>
    public static IotHubParseResult<IotHubPropertyBag> Parse(ReadOnlySpan<char> text)
    {
        var bag = new IotHubPropertyBag();
        if (text.StartsWith("?")) text = text[1..];
        var offset = 0;
        while (text.Length > 0)
        {
            var amp = text.IndexOf('&');
            var pair = amp < 0 ? text : text[..amp];
            if (pair.Length > 0)
            {
                var eq = pair.IndexOf('=');
                var name = IotHubUrlEncoding.Decode(eq < 0 ? pair : pair[..eq]);
                if (!name.Success) return IotHubParseResult<IotHubPropertyBag>.Fail($"property name at offset {offset}: {name.Error}");
                if (name.Value.Length == 0) return IotHubParseResult<IotHubPropertyBag>.Fail($"empty property name at offset {offset}");
                string? value = null;
                if (eq >= 0)
                {
                    var decoded = IotHubUrlEncoding.Decode(pair[(eq + 1)..]);
                    if (!decoded.Success) return IotHubParseResult<IotHubPropertyBag>.Fail($"value of '{name.Value}' at offset {offset + eq + 1}: {decoded.Error}");
                    value = decoded.Value;
                }

                bag._properties.Add(new(name.Value, value));
            }

            if (amp < 0) break;
            text = text[(amp + 1)..];
            offset += amp + 1;
        }

        return IotHubParseResult<IotHubPropertyBag>.Ok(bag);
    }
}
