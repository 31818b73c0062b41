using System.Diagnostics;

namespace EquipmentIoT.Testing;

/// <summary>
/// The one polling primitive for tests: wait until a condition holds, bounded by a timeout.
/// Use it instead of <see cref="Task.Delay(TimeSpan)"/> for synchronisation.
/// </summary>
public static class Wait
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(15);

    /// <summary>Polls <paramref name="condition"/> until it returns true.</summary>
    /// <exception cref="TimeoutException">Still false after <paramref name="timeout"/>.</exception>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync(_ => Task.FromResult(condition()), timeout, what, cancellationToken);
    }

    /// <summary>
    /// Polls an asynchronous <paramref name="condition"/> until it returns true. The token given to the
    /// condition is cancelled at the deadline, so a hanging probe cannot outlive the timeout.
    /// </summary>
    /// <exception cref="TimeoutException">Still false after <paramref name="timeout"/>.</exception>
    public static async Task UntilAsync(
        Func<CancellationToken, Task<bool>> condition, TimeSpan timeout, string what, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var elapsed = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                if (await condition(deadline.Token).ConfigureAwait(false))
                {
                    return;
                }

                if (elapsed.Elapsed >= timeout)
                {
                    break;
                }

                await Task.Delay(PollInterval, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Our deadline fired inside the condition or the delay: that is the timeout, reported below.
        }

        cancellationToken.ThrowIfCancellationRequested();
        throw new TimeoutException($"timed out after {timeout} waiting for {what}");
    }
}
