using System.Collections.Concurrent;
using EquipmentIoT.Cloud.Licences;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Licences;

/// <summary>
/// The outbox as <see cref="ILicenceSms"/> promises it: one message per dedup key (a repeated key returns the first
/// message's id), every call counted, and a switch to make the next calls fail like an outbox that is down.
/// </summary>
internal sealed class FakeLicenceSms(IClock clock) : ILicenceSms
{
    private readonly ConcurrentDictionary<string, SentSms> _byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SentSms> _messages = new();
    private int _calls;
    private int _ids;
    private int _failNext;

    /// <summary>Every message queued, in order (one per dedup key).</summary>
    public IReadOnlyList<SentSms> Messages => [.. _messages];

    /// <summary>EnqueueAsync calls, including repeats of a key and failures.</summary>
    public int Calls => _calls;

    /// <summary>The next <paramref name="count"/> calls throw.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failNext, count);

    public Task<string> EnqueueAsync(string phoneE164, string text, string dedupKey, CancellationToken ct)
    {
        Interlocked.Increment(ref _calls);
        if (Interlocked.Decrement(ref _failNext) >= 0) throw new IOException("outbox unavailable");
        var sms = _byKey.GetOrAdd(dedupKey, key =>
        {
            var created = new SentSms($"msg-{Interlocked.Increment(ref _ids)}", phoneE164, text, key, clock.GetCurrentInstant());
            _messages.Enqueue(created);
            return created;
        });
        return Task.FromResult(sms.Id);
    }
}

internal sealed record SentSms(string Id, string Phone, string Text, string DedupKey, Instant At);
