namespace EquipmentIoT.Protocols.LineProtocol;

/// <summary>A series key: a measurement and its tag set (unescaped, in the order read), as a line begins and SHOW SERIES prints it.</summary>
/// <param name="Measurement">The measurement name.</param>
/// <param name="Tags">The tags in the order read.</param>
public sealed record LineSeriesKey(string Measurement, IReadOnlyList<KeyValuePair<string, string>> Tags)
{
    /// <summary>The value of tag <paramref name="key"/>, or null when the series has no such tag.</summary>
    public string? Tag(string key)
    {
        foreach (var tag in Tags)
        {
            if (string.Equals(tag.Key, key, StringComparison.Ordinal)) return tag.Value;
        }

        return null;
    }
}
