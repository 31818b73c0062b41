using EquipmentIoT.Protocols.Mqtt;

namespace EquipmentIoT.Bench.CloudIngest;

/// <summary>The options every cloud benchmark takes: help, and where its directory goes.</summary>
internal interface ICloudBenchOptions<TSelf>
    where TSelf : ICloudBenchOptions<TSelf>
{
    static abstract string HelpText { get; }

    bool ShowHelp { get; }

    string? Directory { get; }

    bool Keep { get; }

    /// <exception cref="CommandLineException">An option is unknown or has a bad value.</exception>
    static abstract TSelf Parse(IReadOnlyList<string> args);
}

/// <summary>
/// The frame of a cloud benchmark: parses its options (exit 2 on a bad command line), prints help, runs it in a
/// new directory (under <c>--dir</c> or the temp directory) removed afterwards unless <c>--keep</c>, and turns
/// a failed step into exit code 1 with its message and Ctrl-C into 130.
/// </summary>
internal static class CloudBench
{
    public static async Task<int> RunAsync<TOptions>(string command, IReadOnlyList<string> args, Func<TOptions, string, CancellationToken, Task<int>> run,
        CancellationToken cancellationToken)
        where TOptions : ICloudBenchOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(run);
        TOptions o;
        try
        {
            o = TOptions.Parse(args);
        }
        catch (CommandLineException ex)
        {
            await Console.Error.WriteLineAsync($"eqiot-bench {command}: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        if (o.ShowHelp)
        {
            Console.WriteLine(TOptions.HelpText);
            return 0;
        }

        if (!OperatingSystem.IsLinux())
        {
            await Console.Error.WriteLineAsync($"eqiot-bench {command}: runs on Linux only (the cloud does)").ConfigureAwait(false);
            return 1;
        }

        return await RunInDirectoryAsync(command, o, run, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> RunInDirectoryAsync<TOptions>(string command, TOptions o, Func<TOptions, string, CancellationToken, Task<int>> run,
        CancellationToken cancellationToken)
        where TOptions : ICloudBenchOptions<TOptions>
    {
        var root = Path.Combine(o.Directory ?? Path.GetTempPath(), $"eqiot-bench-{command}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(root);
        try
        {
            return await run(o, root, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"eqiot-bench {command}: cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or TimeoutException
            or MqttCommunicationException)
        {
            await Console.Error.WriteLineAsync($"eqiot-bench {command}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            if (o.Keep) Console.WriteLine($"kept {root}");
            else Directory.Delete(root, recursive: true);
        }
    }
}
