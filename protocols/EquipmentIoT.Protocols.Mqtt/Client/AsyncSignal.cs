namespace EquipmentIoT.Protocols.Mqtt.Client;

/// <summary>
/// Wakes every waiter once when set. One task per wait episode (not per waiter or per message), so
/// back-pressure costs an allocation per episode only. Waiters take the task first, then re-check
/// their condition, then await: a Set between the check and the await is never missed.
/// </summary>
internal sealed class AsyncSignal
{
    private readonly object _lock = new();
    private TaskCompletionSource? _tcs;

    public Task WaitAsync()
    {
        lock (_lock)
        {
            _tcs ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _tcs.Task;
        }
    }

    public void Set()
    {
        TaskCompletionSource? tcs;
        lock (_lock)
        {
            tcs = _tcs;
            _tcs = null;
        }
        tcs?.TrySetResult();
    }

    /// <summary>True when someone waits: lets hot paths skip <see cref="Set"/>.</summary>
    public bool HasWaiters => Volatile.Read(ref _tcs) is not null;
}
