using System.Threading.Tasks.Sources;

namespace EquipmentIoT.Protocols.Mqtt.Client;

/// <summary>Where a QoS 1/2 publish stands in its acknowledgement flow (4.3.2, 4.3.3).</summary>
internal enum OutgoingStage : byte
{
    AwaitingPubAck,
    AwaitingPubRec,
    AwaitingPubComp,
}

/// <summary>
/// A QoS 1 or 2 PUBLISH held until the broker acknowledges it, and the awaitable its publisher waits
/// on. Pooled: two owners (the in-flight table and the awaiter) each release it once, and the last
/// release returns it to the pool, so a publish allocates nothing in steady state.
/// </summary>
internal sealed class OutgoingMessage : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core;
    private readonly InflightTable _owner;
    private int _completed;
    private int _references;
    private CancellationTokenRegistration _cancellation;

    public OutgoingMessage(InflightTable owner, bool runContinuationsAsynchronously)
    {
        _owner = owner;
        _core.RunContinuationsAsynchronously = runContinuationsAsynchronously;
    }

    public string Topic { get; private set; } = "";
    public ReadOnlyMemory<byte> Payload { get; private set; }
    public MqttQualityOfService QualityOfService { get; private set; }
    public bool Retain { get; private set; }
    public ushort PacketIdentifier { get; set; }
    public long Order { get; set; }
    public OutgoingStage Stage { get; set; }

    /// <summary>Connection generation it was last written on; 0 = never sent, so no DUP flag.</summary>
    public int SentGeneration { get; set; }

    public short Version => _core.Version;

    public void Initialise(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain)
    {
        Topic = topic;
        Payload = payload;
        QualityOfService = qos;
        Retain = retain;
        Stage = qos == MqttQualityOfService.AtLeastOnce ? OutgoingStage.AwaitingPubAck : OutgoingStage.AwaitingPubRec;
        SentGeneration = 0;
        _completed = 0;
        _references = 2;
    }

    public void RegisterCancellation(CancellationToken token) =>
        _cancellation = token.UnsafeRegister(static s => ((OutgoingMessage)s!).Complete(new OperationCanceledException(
            "the wait for the broker's acknowledgement was cancelled; the message stays in the session and may still be delivered")), this);

    /// <summary>Completes the publisher's wait once; null = acknowledged.</summary>
    public void Complete(Exception? error)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0) return;
        _cancellation.Dispose();
        if (error is null) _core.SetResult(true);
        else _core.SetException(error);
    }

    /// <summary>One of the two owners is done with it.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) != 0) return;
        _cancellation = default;
        Topic = "";
        Payload = default;
        _core.Reset();
        _owner.Return(this);
    }

    void IValueTaskSource.GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
        }
        finally
        {
            Release();
        }
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
