using System.Buffers;
using EquipmentIoT.Protocols.Telemetry.Chain;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Json;
using EquipmentIoT.Protocols.Telemetry.Model;

namespace EquipmentIoT.Protocols.Telemetry;

/// <summary>A batch signed by <see cref="TelemetryEnvelope.Seal"/>.</summary>
/// <param name="Jws">The JWS compact serialisation (ASCII): the MQTT payload, and what the agent stores until PUBACK.</param>
/// <param name="Hash">Its chain hash: the <c>prev</c> of the next batch on the same stream.</param>
public sealed record SealedBatch(byte[] Jws, string Hash);

/// <summary>A batch that passed <see cref="TelemetryEnvelope.Open"/>: signature, then payload schema.</summary>
/// <param name="Message">The verified JWS (kid, cty, payload bytes).</param>
/// <param name="Batch">The batch read from the payload.</param>
/// <param name="Hash">The chain hash of the JWS, for <see cref="TelemetryChain.Classify"/> and for storage.</param>
public sealed record OpenedBatch(JwsMessage Message, TelemetryBatch Batch, string Hash);

/// <summary>
/// The two halves of SPEC.md in one call each: the agent seals (write JSON → sign → hash), the cloud
/// opens (verify signature by kid → read payload strictly → check the agent id → hash). The chain
/// decision (<see cref="TelemetryChain.Classify"/>) needs the stream's stored position and stays with the caller.
/// </summary>
public static class TelemetryEnvelope
{
    /// <summary>Writes <paramref name="batch"/> as JSON, signs it with <paramref name="signer"/> and hashes the result.</summary>
    /// <param name="batch">The batch; its <c>prev</c> is the <see cref="SealedBatch.Hash"/> of the stream's previous batch.</param>
    /// <param name="signer">The agent's signer.</param>
    /// <param name="scratch">An optional reusable buffer for the JSON payload (cleared before use).</param>
    /// <exception cref="ArgumentException">The batch breaks a rule of SPEC.md (see <see cref="TelemetryBatchWriter.Validate"/>).</exception>
    public static SealedBatch Seal(TelemetryBatch batch, JwsSigner signer, ArrayBufferWriter<byte>? scratch = null)
    {
        ArgumentNullException.ThrowIfNull(signer);
        scratch ??= new ArrayBufferWriter<byte>(1024);
        scratch.ResetWrittenCount();
        TelemetryBatchWriter.Write(batch, scratch);
        var jws = signer.Sign(scratch.WrittenSpan);
        return new SealedBatch(jws, TelemetryChain.Hash(jws));
    }

    /// <summary>Verifies and reads one MQTT telemetry payload.</summary>
    /// <param name="compact">The JWS compact serialisation as received.</param>
    /// <param name="verifier">The verifier with the registry's key lookup.</param>
    /// <param name="expectedAgent">The agent id from the topic (<c>eq/v1/{agentId}/telemetry</c>); the batch must name the same agent. Null skips the check.</param>
    /// <param name="options">Reader ceilings; the defaults when null.</param>
    public static TelemetryResult<OpenedBatch> Open(ReadOnlySpan<byte> compact, JwsVerifier verifier, string? expectedAgent = null,
        TelemetryReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        var verified = verifier.Verify(compact);
        if (!verified.Success) return TelemetryResult<OpenedBatch>.Fail(verified.Error);
        var message = verified.Value;
        var read = TelemetryBatchReader.Read(message.Payload.Span, options);
        if (!read.Success) return TelemetryResult<OpenedBatch>.Fail(read.Error);
        var batch = read.Value;
        if (expectedAgent is not null && !string.Equals(batch.Agent, expectedAgent, StringComparison.Ordinal))
            return TelemetryResult<OpenedBatch>.Fail($"agent: the batch names \"{batch.Agent}\" but arrived on the topic of \"{expectedAgent}\"");
        return TelemetryResult<OpenedBatch>.Ok(new OpenedBatch(message, batch, TelemetryChain.Hash(compact)));
    }
}
