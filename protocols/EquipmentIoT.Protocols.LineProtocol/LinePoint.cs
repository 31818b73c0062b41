using NodaTime;

namespace EquipmentIoT.Protocols.LineProtocol;

/// <summary>
/// One point of line protocol: <c>measurement[,tag=value...] field=value[,field=value...] [timestamp]</c>.
/// Tags are kept sorted by key (ordinal), as the reference's performance tips ask ("sort by tag key to match
/// the results from the Go bytes.Compare function"); fields keep the order given. The constructor does not
/// validate names: the writer does, and refuses a bad point with a reason instead of writing it.
/// </summary>
public sealed record LinePoint
{
    /// <summary>Creates a point.</summary>
    /// <param name="measurement">The measurement name.</param>
    /// <param name="tags">The tag set, in any order; null for none.</param>
    /// <param name="fields">The field set (at least one field for a valid point).</param>
    /// <param name="timestamp">The timestamp in <paramref name="precision"/> units since the Unix epoch; null lets the server stamp it.</param>
    /// <param name="precision">The unit of <paramref name="timestamp"/>.</param>
    public LinePoint(
        string measurement,
        IEnumerable<KeyValuePair<string, string>>? tags,
        IEnumerable<KeyValuePair<string, LineFieldValue>> fields,
        long? timestamp = null,
        LinePrecision precision = LinePrecision.Nanoseconds)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        ArgumentNullException.ThrowIfNull(fields);
        Measurement = measurement;
        var sorted = tags is null ? [] : tags.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        Tags = sorted;
        Fields = fields.ToArray();
        Timestamp = timestamp;
        Precision = precision;
    }

    /// <summary>Creates a point stamped with an instant, truncated (floored) to <paramref name="precision"/>.</summary>
    /// <param name="measurement">The measurement name.</param>
    /// <param name="tags">The tag set, in any order; null for none.</param>
    /// <param name="fields">The field set.</param>
    /// <param name="timestamp">The instant.</param>
    /// <param name="precision">The unit to write it in.</param>
    /// <exception cref="ArgumentOutOfRangeException">The instant does not fit a 64-bit count of that unit.</exception>
    public LinePoint(
        string measurement,
        IEnumerable<KeyValuePair<string, string>>? tags,
        IEnumerable<KeyValuePair<string, LineFieldValue>> fields,
        Instant timestamp,
        LinePrecision precision)
        : this(measurement, tags, fields, LineTimestamp.TryFromInstant(timestamp, precision, out var units)
            ? units
            : throw new ArgumentOutOfRangeException(nameof(timestamp), timestamp, $"does not fit 64-bit {precision}"), precision)
    {
    }

    /// <summary>The measurement name (unescaped).</summary>
    public string Measurement { get; }

    /// <summary>The tag set sorted by key, ordinal (unescaped keys and values).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; }

    /// <summary>The field set in the order given (unescaped keys).</summary>
    public IReadOnlyList<KeyValuePair<string, LineFieldValue>> Fields { get; }

    /// <summary>Units of <see cref="Precision"/> since the Unix epoch, or null for a server-stamped point.</summary>
    public long? Timestamp { get; }

    /// <summary>The unit of <see cref="Timestamp"/>.</summary>
    public LinePrecision Precision { get; }

    /// <summary>The timestamp as an instant, or null when absent or beyond NodaTime's range.</summary>
    public Instant? Instant => Timestamp is { } units && LineTimestamp.TryToInstant(units, Precision, out var instant) ? instant : null;

    /// <summary>Equal when measurement, tags, fields (in order), timestamp and precision are equal.</summary>
    /// <param name="other">The other point.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(LinePoint? other) =>
        other is not null
        && Measurement == other.Measurement
        && Timestamp == other.Timestamp
        && Precision == other.Precision
        && Tags.SequenceEqual(other.Tags)
        && Fields.SequenceEqual(other.Fields);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Measurement, Timestamp, Precision, Tags.Count, Fields.Count);

    /// <summary>A readable form for test output (not escaped line protocol).</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"{Measurement} [{string.Join(", ", Tags.Select(t => $"{t.Key}={t.Value}"))}] [{string.Join(", ", Fields.Select(f => $"{f.Key}={f.Value}"))}] {Timestamp?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} {Precision}";
}
