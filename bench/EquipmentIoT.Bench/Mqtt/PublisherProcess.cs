using System.Diagnostics;

namespace EquipmentIoT.Bench.Mqtt;

/// <summary>What a publisher process did: exit code, stderr, peak RSS, when it exited.</summary>
/// <param name="FeedError">Why stdin could not be written in full (the publisher stopped reading), or null.</param>
internal sealed record PublisherOutcome(int ExitCode, IReadOnlyList<string> StderrLines, long PeakRssKilobytes, long ExitTimestamp, string? FeedError);

/// <summary>
/// Runs one publisher with the first <c>bytes</c> of the payload file on its stdin, its stdout thrown
/// away, its stderr kept, and its peak RSS sampled by <see cref="PeakRssSampler"/>.
/// </summary>
internal static class PublisherProcess
{
    public static async Task<PublisherOutcome> RunAsync(
        string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment,
        string inputPath, long bytes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        await using var rss = PeakRssSampler.Start(process.Id);
        var stdout = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdin = FeedAsync(process, inputPath, bytes, cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(fileName)} did not exit within {timeout}");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }

        var exited = Stopwatch.GetTimestamp();
        var peak = await rss.StopAsync().ConfigureAwait(false);
        await stdout.ConfigureAwait(false);
        var feedError = await stdin.ConfigureAwait(false);
        var lines = (await stderr.ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return new PublisherOutcome(process.ExitCode, lines, peak, exited, feedError);
    }

    /// <summary>Writes the input; returns null, or why the publisher's stdin broke.</summary>
    private static async Task<string?> FeedAsync(Process process, string inputPath, long bytes, CancellationToken cancellationToken)
    {
        var stdin = process.StandardInput.BaseStream;
        var buffer = new byte[64 * 1024];
        try
        {
            await using var input = new FileStream(inputPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: false);
            for (var left = bytes; left > 0;)
            {
                var read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
                if (read == 0) throw new InvalidOperationException($"{inputPath} ended {left} bytes early");
                await stdin.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                left -= read;
            }
        }
        catch (IOException ex)
        {
            return $"stdin broke: {ex.Message}"; // the publisher stopped reading; reported with the run
        }
        finally
        {
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The pipe is already broken: reported above.
            }
        }
        return null;
    }
}
