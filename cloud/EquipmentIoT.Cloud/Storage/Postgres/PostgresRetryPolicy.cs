using System.Net.Sockets;
using EquipmentIoT.Cloud.Common;
using Npgsql;

namespace EquipmentIoT.Cloud.Storage.Postgres;

/// <summary>
/// When a failed PostgreSQL transaction is tried again: only for transient failures (<see cref="IsTransient"/>),
/// within a time budget, after an exponential backoff from 50 ms doubling to a 2 s cap with jitter (half to all
/// of the step), so that several cloud instances coming back after a database restart do not retry in lock step.
/// </summary>
public sealed class PostgresRetryPolicy
{
    private readonly JitteredBackoff _backoff;

    /// <param name="budget">How long after the first failure retries may still start (zero: never retry).</param>
    /// <param name="random">A seeded generator for reproducible tests.</param>
    public PostgresRetryPolicy(TimeSpan budget, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, TimeSpan.Zero);
        Budget = budget;
        _backoff = new JitteredBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2), random);
    }

    public TimeSpan Budget { get; }

    /// <summary>Decides about retry <paramref name="attempt"/> (1 for the first) after <paramref name="exception"/>, <paramref name="elapsed"/> after the first try began.</summary>
    public bool ShouldRetry(int attempt, Exception exception, TimeSpan elapsed, out TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(exception);
        delay = TimeSpan.Zero;
        if (!IsTransient(exception) || elapsed >= Budget) return false;
        var remaining = Budget - elapsed;
        var next = _backoff.Delay(attempt);
        delay = next < remaining ? next : remaining;
        return true;
    }

    /// <summary>
    /// True for failures that trying again can cure: the server shutting down or starting up (57P01–57P03), a
    /// lost or refused connection (class 08, socket and stream errors), too many connections (53300), and the
    /// losers of concurrency (40001 serialisation failure, 40P01 deadlock). Constraint violations, syntax errors
    /// and authentication failures are not.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState is "40001" or "40P01" or "57P01" or "57P02" or "57P03" or "53300"
            || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or SocketException or EndOfStreamException or TimeoutException,
        _ => false,
    };
}
