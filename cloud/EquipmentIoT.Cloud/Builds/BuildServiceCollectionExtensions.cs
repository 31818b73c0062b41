using EquipmentIoT.Cloud.Builds.Sqlite;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using EquipmentIoT.Protocols.Gs1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Builds;

/// <summary>Registers build records: options, the SQLite store in records.db, the recorder, the service and the verifier.</summary>
public static class BuildServiceCollectionExtensions
{
    /// <param name="runRecorder">False: the recorder is registered but not started as a hosted service (its passes are run by hand).</param>
    public static IServiceCollection AddBuilds(this IServiceCollection services, string dataDirectory, bool runRecorder = true)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<BuildOptions>().BindConfiguration(BuildOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<BuildOptions>, BuildOptionsValidator>();
        services.AddSingleton(_ => new SqliteBuildStore(new SqliteDatabase(Path.Combine(dataDirectory, SqliteRecordStores.RecordsFileName))));
        services.AddSingleton<IBuildStore>(sp => sp.GetRequiredService<SqliteBuildStore>());
        services.AddSingleton<IStoreInitializer>(sp => sp.GetRequiredService<SqliteBuildStore>());
        services.AddSingleton<BuildSummaries>();
        services.AddSingleton<PartIdentities>();
        services.AddSingleton<BuildService>();
        services.AddSingleton<BuildVerifier>();
        services.AddSingleton<BuildRecorder>();
        if (runRecorder) services.AddHostedService(sp => sp.GetRequiredService<BuildRecorder>());
        return services;
    }
}

/// <summary>Checks what data annotations cannot: the time zone exists, GTINs are valid, windows are ordered.</summary>
internal sealed class BuildOptionsValidator : IValidateOptions<BuildOptions>
{
    public ValidateOptionsResult Validate(string? name, BuildOptions options)
    {
        var failures = new List<string>();
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(options.TimeZone) is null)
            failures.Add($"Builds:TimeZone '{options.TimeZone}' is not an IANA time zone (e.g. Asia/Shanghai)");
        foreach (var (key, gtin) in options.Products.Select(p => ($"Builds:Products:{p.Key}", (string?)p.Value)).Append(("Builds:Gtin", options.Gtin)))
        {
            if (gtin is not null && Gtin.Parse(gtin) is { Success: false } bad) failures.Add($"{key}: {bad.Error}");
        }

        foreach (var (material, windows) in options.Materials)
        {
            foreach (var (signal, window) in windows)
            {
                if (window.Min > window.Max) failures.Add($"Builds:Materials:{material}:{signal}: Min is above Max");
            }
        }

        if (!options.Materials.ContainsKey(options.DefaultMaterial))
            failures.Add($"Builds:DefaultMaterial '{options.DefaultMaterial}' has no process windows under Builds:Materials");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
