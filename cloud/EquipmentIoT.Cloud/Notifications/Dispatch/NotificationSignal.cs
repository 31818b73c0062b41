using System.Threading.Channels;

namespace EquipmentIoT.Cloud.Notifications.Dispatch;

/// <summary>
/// Wakes this instance's dispatcher when a message is enqueued, so that it need not wait for its next poll.
/// Signals coalesce (a bounded channel of one, extra signals dropped): one wake-up handles everything due.
/// Other instances find the message at their next poll.
/// </summary>
public sealed class NotificationSignal
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Asks the dispatcher to look for due messages now.</summary>
    public void Notify() => _wake.Writer.TryWrite(true);

    /// <summary>Waits until <see cref="Notify"/> is called or <paramref name="timeout"/> (on <paramref name="time"/>) passes.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await _wake.Reader.ReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout: time to poll.
        }
    }
}
