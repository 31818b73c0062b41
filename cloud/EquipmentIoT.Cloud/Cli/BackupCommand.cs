using System.Diagnostics;
using System.Globalization;
using EquipmentIoT.Cloud.Hosting;
using EquipmentIoT.Cloud.Storage.Sqlite;
using NodaTime;

namespace EquipmentIoT.Cloud.Cli;

/// <summary><c>eqiot cloud backup FILE [--data DIR]</c>: a consistent copy of the embedded stores, taken while ingestion runs.</summary>
internal static class BackupCommand
{
    private const string Usage = "usage: eqiot cloud backup FILE [--data DIR]";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            Console.Error.WriteLine(args is ["-h" or "--help"] ? Usage : $"eqiot cloud backup: FILE is required\n{Usage}");
            return args is ["-h" or "--help"] ? 0 : 2;
        }
        var a = CommandArguments.Parse(args[1..], ["--data"]);
        if (a.Error is not null)
        {
            Console.Error.WriteLine($"eqiot cloud backup: {a.Error}\n{Usage}");
            return 2;
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var manifest = await SqliteBackup.BackupAsync(CloudPaths.Resolve(a["--data"]), Path.GetFullPath(args[0]), SystemClock.Instance, CancellationToken.None)
                .ConfigureAwait(false);
            Console.WriteLine(Describe("backup", Path.GetFullPath(args[0]), manifest, started));
            return 0;
        }
        catch (Exception e) when (e is BackupException or IOException)
        {
            Console.Error.WriteLine($"eqiot cloud backup: {e.Message}");
            return 1;
        }
    }

    /// <summary>One line about a backup file: what it holds and how long it took.</summary>
    internal static string Describe(string what, string file, BackupManifest manifest, long started) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{what} {file}: {manifest.Batches:N0} batches, {string.Join(", ", manifest.Files.Select(f => $"{f.Name} {f.Bytes / 1048576.0:N1} MiB"))}, in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
}
