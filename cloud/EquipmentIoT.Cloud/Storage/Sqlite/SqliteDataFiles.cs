namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>The files of the embedded stores in the data directory.</summary>
public static class SqliteDataFiles
{
    /// <summary>Records: the telemetry ledger (batches, events, quarantine, gaps) and the registry, audit log and tokens.</summary>
    public const string Records = "records.db";

    /// <summary>Time series: chunks of points and their rollups.</summary>
    public const string Series = "series.db";

    public static string RecordsPath(string dataDirectory) => Path.Combine(dataDirectory, Records);

    public static string SeriesPath(string dataDirectory) => Path.Combine(dataDirectory, Series);
}
