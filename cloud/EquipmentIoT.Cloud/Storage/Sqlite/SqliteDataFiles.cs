namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>The files of the embedded stores in the data directory.</summary>
public static class SqliteDataFiles
{
    /// <summary>Records: the telemetry ledger (batches, events, quarantine, gaps) and the registry, audit log and tokens.</summary>
    public const string Records = "records.db";

    /// <summary>Time series: chunks of points and their rollups.</summary>
    public const string Series = "series.db";

    /// <summary>
    /// Page size of a new records.db: the ledger appends every batch's JWS (tens of KB), and 16 KiB pages write it
    /// with a quarter of the page I/O of 4 KiB ones (≈40 % less CPU per batch measured). Every store of records.db
    /// should open it through <see cref="RecordsDatabase"/>, since whichever creates the file fixes its page size.
    /// </summary>
    public const int RecordsPageSize = 16 * 1024;

    public static string RecordsPath(string dataDirectory) => Path.Combine(dataDirectory, Records);

    public static string SeriesPath(string dataDirectory) => Path.Combine(dataDirectory, Series);

    /// <summary>records.db of the data directory, with its page size for a new file.</summary>
    public static SqliteDatabase RecordsDatabase(string dataDirectory) => new(RecordsPath(dataDirectory), RecordsPageSize);

    /// <summary>series.db of the data directory (4 KiB pages: its writes are small rows all over its indexes).</summary>
    public static SqliteDatabase SeriesDatabase(string dataDirectory) => new(SeriesPath(dataDirectory));
}
