using EquipmentIoT.Cloud.Hosting;
using EquipmentIoT.Cloud.Storage.Sqlite;

namespace EquipmentIoT.Cloud.Cli;

/// <summary><c>eqiot cloud restore FILE [--data DIR] [--force]</c>: brings a stopped instance back from a backup.</summary>
internal static class RestoreCommand
{
    private const string Usage = "usage: eqiot cloud restore FILE [--data DIR] [--force]   (the cloud must be stopped; --force replaces existing data)";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            Console.Error.WriteLine(args is ["-h" or "--help"] ? Usage : $"eqiot cloud restore: FILE is required\n{Usage}");
            return args is ["-h" or "--help"] ? 0 : 2;
        }
        var a = CommandArguments.Parse(args[1..], ["--data"], ["--force"]);
        if (a.Error is not null)
        {
            Console.Error.WriteLine($"eqiot cloud restore: {a.Error}\n{Usage}");
            return 2;
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var data = CloudPaths.Resolve(a["--data"]);
            var manifest = await SqliteBackup.RestoreAsync(Path.GetFullPath(args[0]), data, a.Has("--force"), CancellationToken.None).ConfigureAwait(false);
            Console.WriteLine(BackupCommand.Describe($"restored into {data} from", Path.GetFullPath(args[0]), manifest, started));
            return 0;
        }
        catch (Exception e) when (e is BackupException or IOException)
        {
            Console.Error.WriteLine($"eqiot cloud restore: {e.Message}");
            return 1;
        }
    }
}
