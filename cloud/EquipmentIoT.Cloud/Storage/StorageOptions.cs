namespace EquipmentIoT.Cloud.Storage;

/// <summary>
/// Section "Storage": which backends hold the series and the records. The embedded default is SQLite in the data
/// directory for both; a fleet that outgrows one file puts its series in InfluxDB (<c>Storage:Series = influxdb</c>,
/// settings in <c>Storage:Influx</c>) and its records in PostgreSQL (<c>Storage:Records = postgres</c>, settings in
/// <c>Storage:Postgres</c>). Everything else in the data directory (scheduler state, the instance lock) stays local.
/// </summary>
public static class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Backend names for <c>Storage:Series</c>.</summary>
    public static readonly IReadOnlyList<string> SeriesBackends = [Sqlite, Influx];

    /// <summary>Backend names for <c>Storage:Records</c>.</summary>
    public static readonly IReadOnlyList<string> RecordsBackends = [Sqlite, Postgres];

    public const string Sqlite = "sqlite";
    public const string Influx = "influxdb";
    public const string Postgres = "postgres";

    /// <summary>The configured series backend (default sqlite); an unknown name is an error naming the choices.</summary>
    public static string SeriesBackend(IConfiguration configuration) => Backend(configuration, "Series", SeriesBackends);

    /// <summary>The configured records backend (default sqlite); an unknown name is an error naming the choices.</summary>
    public static string RecordsBackend(IConfiguration configuration) => Backend(configuration, "Records", RecordsBackends);

    private static string Backend(IConfiguration configuration, string key, IReadOnlyList<string> choices)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[$"{Section}:{key}"];
        if (string.IsNullOrWhiteSpace(value)) return Sqlite;
        var name = value.Trim().ToLowerInvariant();
        return choices.Contains(name)
            ? name
            : throw new InvalidOperationException($"{Section}:{key} is '{value}'; it must be one of: {string.Join(", ", choices)}");
    }
}
