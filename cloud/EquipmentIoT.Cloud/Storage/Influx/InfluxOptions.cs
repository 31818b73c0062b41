using System.ComponentModel.DataAnnotations;

namespace EquipmentIoT.Cloud.Storage.Influx;

/// <summary>
/// Where and how the cloud stores series in InfluxDB (configuration section <c>Storage:Influx</c>). Only the
/// v1 HTTP API is used (<c>/write</c>, <c>/query</c>), which InfluxDB 1.x serves natively and 2.x/3.x serve as
/// "v1 compatibility". Secrets are never in configuration: <see cref="TokenFile"/> and <see cref="PasswordFile"/>
/// name files holding them. Retention defaults give the 10-year horizon: raw points 400 days, 1-minute
/// rollups about 3 years, 1-hour rollups for ever (see Storage/Influx/README.md).
/// </summary>
public sealed class InfluxOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string Section = "Storage:Influx";

    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:8086</c>.</summary>
    [Required]
    public Uri Url { get; set; } = new("http://127.0.0.1:8086");

    /// <summary>The database (a 2.x/3.x bucket mapped by DBRP).</summary>
    [Required]
    public string Database { get; set; } = "eqiot";

    /// <summary>The retention policy raw points are written to; created as the database's DEFAULT.</summary>
    [Required]
    public string RetentionPolicy { get; set; } = "raw";

    /// <summary>How long raw points are kept; <see cref="TimeSpan.Zero"/> for ever.</summary>
    public TimeSpan RawRetention { get; set; } = TimeSpan.FromDays(400);

    /// <summary>How long 1-minute rollups (RP <c>rollup_1m</c>) are kept; <see cref="TimeSpan.Zero"/> for ever.</summary>
    public TimeSpan MinuteRollupRetention { get; set; } = TimeSpan.FromDays(1100);

    /// <summary>How long 1-hour rollups (RP <c>rollup_1h</c>) are kept; <see cref="TimeSpan.Zero"/> (the default) for ever.</summary>
    public TimeSpan HourRollupRetention { get; set; } = TimeSpan.Zero;

    /// <summary>A file holding an API token, sent as <c>Authorization: Token …</c> (2.x/3.x v1 compatibility).</summary>
    public string? TokenFile { get; set; }

    /// <summary>A user name for basic authentication (1.x with auth enabled); needs <see cref="PasswordFile"/>.</summary>
    public string? Username { get; set; }

    /// <summary>A file holding <see cref="Username"/>'s password.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Points per <c>/write</c> request at most (InfluxData recommends 5,000–10,000).</summary>
    [Range(1, 1_000_000)]
    public int BatchPoints { get; set; } = 5000;

    /// <summary>Bytes of line protocol per <c>/write</c> request at most (1.x refuses bodies over 25 MB by default).</summary>
    [Range(1024, 25_000_000)]
    public int BatchBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How long the buffered writer holds points before it sends a partial batch.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>/write</c> requests in flight at once for one store write.</summary>
    [Range(1, 64)]
    public int WriteConcurrency { get; set; } = 4;

    /// <summary>Whether write bodies are sent gzip-compressed (<c>Content-Encoding: gzip</c>).</summary>
    public bool Gzip { get; set; }

    /// <summary>Timeout of one HTTP request.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after a transient failure (5xx, connection error, timeout); 4xx are never retried.</summary>
    [Range(0, 20)]
    public int Retries { get; set; } = 3;

    /// <summary>Delay before the first retry; doubled per retry up to <see cref="RetryMaxDelay"/>, with jitter.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Cap on the delay between retries.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Checks what data annotations cannot: durations and the authentication settings.</summary>
    /// <returns>Null when valid, otherwise what is wrong.</returns>
    public string? Validate()
    {
        if (!Url.IsAbsoluteUri || Url.Scheme is not ("http" or "https")) return $"Storage:Influx:Url '{Url}' must be an absolute http(s) address";
        if (TokenFile is not null && (Username is not null || PasswordFile is not null))
            return "Storage:Influx: set either TokenFile or Username/PasswordFile, not both";
        if ((Username is null) != (PasswordFile is null)) return "Storage:Influx: Username and PasswordFile go together";
        foreach (var (name, value) in new[] { ("RawRetention", RawRetention), ("MinuteRollupRetention", MinuteRollupRetention), ("HourRollupRetention", HourRollupRetention) })
        {
            // InfluxDB's minimum retention policy duration is one hour; zero means INF.
            if (value != TimeSpan.Zero && value < TimeSpan.FromHours(1)) return $"Storage:Influx:{name} {value} is shorter than InfluxDB's minimum of 1 hour (0 = for ever)";
        }
        if (Timeout <= TimeSpan.Zero) return "Storage:Influx:Timeout must be positive";
        if (FlushInterval <= TimeSpan.Zero) return "Storage:Influx:FlushInterval must be positive";
        if (RetryInitialDelay <= TimeSpan.Zero || RetryMaxDelay < RetryInitialDelay) return "Storage:Influx: RetryInitialDelay must be positive and at most RetryMaxDelay";
        return null;
    }
}
