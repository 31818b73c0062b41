namespace EquipmentIoT.Cloud.Storage.Influx;

public sealed partial class InfluxSeriesStore
{
    /// <summary>
    /// Creates the database, the retention policies (raw as DEFAULT) and the continuous queries, or brings them
    /// to the configured definitions. Idempotent and safe from several instances at once: every step is a CREATE
    /// that InfluxDB accepts when the object already exists identically, followed by an ALTER (policies) or a
    /// DROP and CREATE (continuous queries) only when it exists differently.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var database = InfluxSchema.Identifier(_options.Database);
        await _client.ExecuteAsync([$"CREATE DATABASE {database}"], null, cancellationToken).ConfigureAwait(false);
        (string Name, TimeSpan Retention, bool Default)[] policies =
        [
            (_options.RetentionPolicy, _options.RawRetention, true),
            (InfluxSchema.MinuteRollup, _options.MinuteRollupRetention, false),
            (InfluxSchema.HourRollup, _options.HourRollupRetention, false),
        ];
        foreach (var (name, retention, isDefault) in policies)
        {
            var definition = $"{InfluxSchema.Identifier(name)} ON {database} DURATION {InfluxSchema.Duration(retention)} REPLICATION 1 " +
                             $"SHARD DURATION {InfluxSchema.ShardDuration(retention)}{(isDefault ? " DEFAULT" : string.Empty)}";
            try
            {
                await _client.ExecuteAsync([$"CREATE RETENTION POLICY {definition}"], null, cancellationToken).ConfigureAwait(false);
            }
            catch (InfluxRequestException ex) when (ex.ServerError?.Contains("already exists", StringComparison.Ordinal) == true)
            {
                await _client.ExecuteAsync([$"ALTER RETENTION POLICY {definition}"], null, cancellationToken).ConfigureAwait(false);
            }
        }
        foreach (var tier in new[] { InfluxSchema.Minute, InfluxSchema.Hour })
        {
            var create = InfluxSchema.ContinuousQuery(_options.Database, _options.RetentionPolicy, tier);
            try
            {
                await _client.ExecuteAsync([create], null, cancellationToken).ConfigureAwait(false);
            }
            catch (InfluxRequestException ex) when (ex.ServerError?.Contains("already exists", StringComparison.Ordinal) == true)
            {
                await ReplaceContinuousQueryAsync(tier, create, cancellationToken).ConfigureAwait(false);
            }
        }
        var summary = string.Join(", ", policies.Select(p => $"{p.Name} {InfluxSchema.Duration(p.Retention)}"));
        InfluxLog.Initialized(_logger, _options.Database, _options.Url, summary, ContinuousQueryNames, _client.Credentials.Description);
    }

    private static readonly string ContinuousQueryNames = $"{InfluxSchema.Minute.QueryName}, {InfluxSchema.Hour.QueryName}";

    /// <summary>The continuous query exists with another definition (an older version of ours): drop it and create ours.</summary>
    private async Task ReplaceContinuousQueryAsync(InfluxSchema.RollupTier tier, string create, CancellationToken cancellationToken)
    {
        try
        {
            await _client.ExecuteAsync([$"DROP CONTINUOUS QUERY {InfluxSchema.Identifier(tier.QueryName)} ON {InfluxSchema.Identifier(_options.Database)}"], null,
                cancellationToken).ConfigureAwait(false);
        }
        catch (InfluxRequestException ex) when (ex.ServerError?.Contains("not found", StringComparison.Ordinal) == true)
        {
            // Another instance dropped it first.
        }
        try
        {
            await _client.ExecuteAsync([create], null, cancellationToken).ConfigureAwait(false);
        }
        catch (InfluxRequestException ex) when (ex.ServerError?.Contains("already exists", StringComparison.Ordinal) == true)
        {
            // Another instance created it between our drop and create: with the same definition, as it runs the same code.
        }
    }
}
