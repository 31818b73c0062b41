using System.ComponentModel.DataAnnotations;

namespace EquipmentIoT.Cloud.Storage.Postgres;

/// <summary>
/// Configuration section <c>Storage:Postgres</c>: where the record stores live when a fleet outgrows one SQLite
/// file. The password comes from <see cref="PasswordFile"/> (a secret mounted as a file), not from the connection
/// string, so that configuration can be shown and logged without it.
/// </summary>
public sealed class PostgresOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Storage:Postgres";

    /// <summary>An Npgsql connection string: <c>Host=db;Port=5432;Database=eqiot;Username=eqiot</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ConnectionString { get; set; } = "";

    /// <summary>A file whose content (trailing newline removed) is the password; overrides any password in the connection string.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>How long one statement may run before it is cancelled.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a transaction that failed transiently (server restarting, connection broken, serialisation
    /// failure, deadlock) is retried, with exponential backoff, before the failure is reported to the caller.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
