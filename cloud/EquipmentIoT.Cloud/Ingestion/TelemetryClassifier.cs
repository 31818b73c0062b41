using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Chain;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Json;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Ingestion;

/// <summary>What <see cref="TelemetryClassifier"/> decided about one telemetry message.</summary>
public abstract record Classified;

/// <summary>Signature, schema, topic and timestamps are good: the batch goes to the chain decision.</summary>
public sealed record AcceptedBatch(IncomingBatch Batch) : Classified;

/// <summary>The message fails before the chain: it goes to quarantine.</summary>
public sealed record RejectedMessage(QuarantineEntry Entry) : Classified;

/// <summary>
/// Checks one telemetry message as SPEC.md §8 and §7 ("how a verifier checks a batch") ask, and says why
/// when it fails:
/// <list type="bullet">
/// <item><see cref="QuarantineReason.Malformed"/>: not a JWS of envelope v1 (parts, base64url, header, signature length);</item>
/// <item><see cref="QuarantineReason.UnknownAgent"/> / <see cref="QuarantineReason.UnknownKey"/>: no key has the kid, and the
/// topic's agent is not registered / is registered (with other keys);</item>
/// <item><see cref="QuarantineReason.RevokedKey"/>: the kid's key was revoked;</item>
/// <item><see cref="QuarantineReason.BadSignature"/>: the signature does not verify with the kid's key;</item>
/// <item><see cref="QuarantineReason.TopicMismatch"/>: the message verifies with a key registered to another agent than the
/// topic's (an agent publishing as another), or the batch names another agent than the topic;</item>
/// <item><see cref="QuarantineReason.SchemaViolation"/>: the signed payload breaks the batch rules;</item>
/// <item><see cref="QuarantineReason.FutureTimestamp"/>: created, or any point's or event's time, lies more than
/// <see cref="IngestionOptions.MaxFutureSkew"/> ahead of the cloud's clock.</item>
/// </list>
/// The signature is checked before the payload is read; details name the rule, never the payload.
/// </summary>
public sealed class TelemetryClassifier
{
    private readonly AgentKeyCache _keys;
    private readonly IClock _clock;
    private readonly Duration _maxSkew;

    /// <summary>Creates the classifier.</summary>
    public TelemetryClassifier(AgentKeyCache keys, IClock clock, IOptions<IngestionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keys = keys;
        _clock = clock;
        _maxSkew = Duration.FromTimeSpan(options.Value.MaxFutureSkew);
    }

    /// <summary>Classifies the payload of one message that arrived on <c>eq/v1/{topicAgent}/telemetry</c>.</summary>
    public async ValueTask<Classified> ClassifyAsync(string topicAgent, ReadOnlyMemory<byte> jws, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topicAgent);
        var received = _clock.GetCurrentInstant();
        var kid = JwsKid.TryRead(jws.Span);
        var key = kid is null ? null : await _keys.FindKeyAsync(kid, cancellationToken).ConfigureAwait(false);

        // The verifier asks for the key only once the message is a well-formed v1 JWS (SPEC.md §8 steps 1-4).
        var askedForKey = false;
        var verifier = new JwsVerifier(asked =>
        {
            askedForKey = true;
            return key is not null && string.Equals(asked, kid, StringComparison.Ordinal) ? key.Key : null;
        });
        var verified = verifier.Verify(jws.Span);
        if (!askedForKey) return Reject(QuarantineReason.Malformed, verified.Error ?? "jws: refused");
        if (key is null)
        {
            var agentKnown = await _keys.AgentExistsAsync(topicAgent, cancellationToken).ConfigureAwait(false);
            return agentKnown
                ? Reject(QuarantineReason.UnknownKey, $"kid {kid} is not a key of agent {topicAgent} (nor of any other agent)")
                : Reject(QuarantineReason.UnknownAgent, $"agent {topicAgent} is not registered (kid {kid} is unknown)");
        }
        var record = key.Record;
        if (record.IsRevoked) return Reject(QuarantineReason.RevokedKey, $"kid {kid} of agent {record.AgentId} was revoked at {record.Revoked}");
        if (!verified.TryGetValue(out var message)) return Reject(QuarantineReason.BadSignature, verified.Error!);
        if (!string.Equals(record.AgentId, topicAgent, StringComparison.Ordinal))
            return Reject(QuarantineReason.TopicMismatch, $"signed with kid {kid} of agent {record.AgentId} but arrived on the topic of agent {topicAgent}");

        var read = TelemetryBatchReader.Read(message.Payload.Span);
        if (!read.TryGetValue(out var batch)) return Reject(QuarantineReason.SchemaViolation, read.Error!);
        if (!string.Equals(batch.Agent, topicAgent, StringComparison.Ordinal))
            return Reject(QuarantineReason.TopicMismatch, $"agent: the batch names {batch.Agent} but arrived on the topic of agent {topicAgent}", batch);
        if (FutureTimestamp(batch, received + _maxSkew) is { } future)
            return Reject(QuarantineReason.FutureTimestamp, $"{future} is more than {_maxSkew.ToTimeSpan()} ahead of the cloud's clock ({Format(received)})", batch);

        return new AcceptedBatch(new IncomingBatch(kid!, TelemetryChain.Hash(jws.Span), received, jws, batch));

        RejectedMessage Reject(QuarantineReason reason, string detail, TelemetryBatch? readBatch = null) =>
            new(new QuarantineEntry(topicAgent, kid, readBatch?.Stream, readBatch?.Seq, reason, detail, received, jws));
    }

    /// <summary>The first timestamp later than <paramref name="limit"/>, described, or null.</summary>
    private static string? FutureTimestamp(TelemetryBatch batch, Instant limit)
    {
        if (batch.Created > limit) return $"created {Format(batch.Created)}";
        for (var i = 0; i < batch.Metrics.Count; i++)
            if (batch.Metrics[i].Timestamp > limit) return $"metrics[{i}].ts {Format(batch.Metrics[i].Timestamp)}";
        for (var i = 0; i < batch.Events.Count; i++)
            if (batch.Events[i].Timestamp > limit) return $"events[{i}].ts {Format(batch.Events[i].Timestamp)}";
        return null;
    }

    private static string Format(Instant instant) => InstantPattern.ExtendedIso.Format(instant);
}
