using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Json;
using EquipmentIoT.Protocols.Telemetry.Model;

namespace EquipmentIoT.Protocols.Tests.Telemetry.Fuzzing;

/// <summary>
/// Feeds <see cref="TelemetryBatchReader"/> and <see cref="JwsVerifier"/> damaged versions of valid
/// input and checks their contract: bad input ends in a refusal with a reason and never in an
/// exception; a damaged JWS is never accepted (no forgery); what the writer wrote is accepted and reads
/// back to the same bytes; what the reader accepts the writer can write, and it reads back the same.
/// Payloads that pass the signature (re-signed after damage) reach the reader through the verifier, so
/// the header and payload checks behind the signature are exercised too. Deterministic per seed.
/// </summary>
internal static class TelemetryFuzzer
{
    public const int MaxRecordedFindings = 10;

    /// <summary>
    /// Runs <paramref name="inputs"/> inputs: 40 % damaged payloads to the reader, 10 % intact payloads,
    /// 25 % damaged compact serialisations, 15 % damaged payloads re-signed, 10 % damaged headers re-signed.
    /// </summary>
    public static TelemetryFuzzReport Run(int seed, long inputs)
    {
        using var key = TelemetrySamples.SpecKey();
        var run = new FuzzRun(seed, key);
        var stopwatch = Stopwatch.StartNew();
        for (long i = 0; i < inputs; i++) run.One(i);
        return run.Report(inputs, stopwatch.Elapsed);
    }

    private sealed class FuzzRun
    {
        private readonly int _seed;
        private readonly Random _random;
        private readonly TelemetryMutator _mutator;
        private readonly ECDsa _key;
        private readonly JwsSigner _signer;
        private readonly JwsVerifier _verifier;
        private readonly byte[][] _payloads;
        private readonly byte[][] _tokens;
        private readonly List<TelemetryFuzzFinding> _findings = [];
        private byte[] _buffer = new byte[64 * 1024];
        private long _readerAccepted, _readerRefused, _verifierAccepted, _verifierRefused, _findingCount;

        public FuzzRun(int seed, ECDsa key)
        {
            _seed = seed;
            _random = new Random(seed);
            _mutator = new TelemetryMutator(_random);
            _key = key;
            _signer = new JwsSigner(key);
            _verifier = TelemetrySamples.VerifierFor(key);
            const string hash = "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU";
            TelemetryBatch[] seeds =
            [
                TelemetrySamples.MetricsBatch(),
                TelemetrySamples.MetricsBatch(2, hash),
                TelemetrySamples.EventsBatch(),
                TelemetrySamples.EventsBatch(5, hash),
                TelemetrySamples.LargeMetricsBatch(20, 9, hash),
                TelemetrySamples.EventsBatch() with
                {
                    Events = [new TelemetryEvent("am-03", "x-acme.powder_lot", TelemetrySamples.Created,
                        new Dictionary<string, EventValue> { ["lot"] = "P-77 \"β\"", ["o2_ppm"] = 812.25, ["ok"] = false })],
                },
            ];
            _payloads = [.. seeds.Select(TelemetryBatchWriter.ToUtf8)];
            _tokens = [.. _payloads.Select(p => _signer.Sign(p))];
        }

        public void One(long index)
        {
            var roll = _random.Next(100);
            if (roll < 40) ReaderOnly(index, Damage(_payloads[_random.Next(_payloads.Length)]));
            else if (roll < 50) Intact(index, _payloads[_random.Next(_payloads.Length)]);
            else if (roll < 75) DamagedToken(index);
            else if (roll < 90) ResignedPayload(index);
            else ResignedHeader(index);
        }

        public TelemetryFuzzReport Report(long inputs, TimeSpan elapsed) =>
            new(_seed, inputs, _readerAccepted, _readerRefused, _verifierAccepted, _verifierRefused, _findingCount, [.. _findings], elapsed);

        private ReadOnlySpan<byte> Damage(byte[] source)
        {
            if (_buffer.Length < source.Length * 2 + 512) _buffer = new byte[source.Length * 2 + 512];
            source.CopyTo(_buffer, 0);
            var length = source.Length;
            for (var m = 1 + _random.Next(3); m > 0; m--) length = _mutator.Mutate(_buffer, length);
            return _buffer.AsSpan(0, length);
        }

        private void ReaderOnly(long index, ReadOnlySpan<byte> payload)
        {
            TelemetryResult<TelemetryBatch> result;
            try
            {
                result = TelemetryBatchReader.Read(payload);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Find(index, "exception", payload, "TelemetryBatchReader: " + ex);
                return;
            }
            if (!result.Success)
            {
                _readerRefused++;
                if (string.IsNullOrEmpty(result.Error)) Find(index, "no reason", payload, "refused without a reason");
                return;
            }
            _readerAccepted++;
            CheckWriterAgrees(index, payload, result.Value);
        }

        // Whatever the reader accepts, the writer must be able to write, and that must read back equal.
        private void CheckWriterAgrees(long index, ReadOnlySpan<byte> payload, TelemetryBatch batch)
        {
            if (TelemetryBatchWriter.Validate(batch) is { } error)
            {
                Find(index, "round trip", payload, "the reader accepted what the writer refuses: " + error);
                return;
            }
            var again = TelemetryBatchReader.Read(TelemetryBatchWriter.ToUtf8(batch));
            if (!again.Success || !SameBatch(batch, again.Value))
                Find(index, "round trip", payload, "re-written batch reads back different: " + again);
        }

        private void Intact(long index, byte[] payload)
        {
            var result = TelemetryBatchReader.Read(payload);
            if (!result.Success)
            {
                Find(index, "valid input refused", payload, result.Error);
                return;
            }
            _readerAccepted++;
            if (!TelemetryBatchWriter.ToUtf8(result.Value).AsSpan().SequenceEqual(payload))
                Find(index, "round trip", payload, "writer(reader(x)) differs from x");
        }

        private void DamagedToken(long index)
        {
            var original = _tokens[_random.Next(_tokens.Length)];
            var token = Damage(original);
            var accepted = Verify(index, token, out _);
            if (accepted && !token.SequenceEqual(original)) Find(index, "forgery accepted", token, "a damaged JWS verified");
        }

        private void ResignedPayload(long index)
        {
            var payload = Damage(_payloads[_random.Next(_payloads.Length)]).ToArray();
            var token = _signer.Sign(payload);
            if (!Verify(index, token, out var message))
            {
                if (payload.Length == 0) return; // an empty payload is refused by design

                Find(index, "valid input refused", token, "a JWS our signer made was refused");
                return;
            }
            ReaderOnly(index, message!.Payload.Span);
        }

        private void ResignedHeader(long index)
        {
            var header = Damage(Encoding.ASCII.GetBytes(_signer.ProtectedHeader)).ToArray();
            var signingInput = Encoding.ASCII.GetBytes(
                JwsTestTokens.B64(header) + "." + JwsTestTokens.B64(_payloads[_random.Next(_payloads.Length)]));
            var signature = _key.SignData(signingInput, HashAlgorithmName.SHA256);
            var token = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(signingInput) + "." + JwsTestTokens.B64(signature));
            if (Verify(index, token, out _) && !header.AsSpan().SequenceEqual(Encoding.ASCII.GetBytes(_signer.ProtectedHeader))
                && !IsEquivalentHeader(header))
            {
                Find(index, "forgery accepted", token, "a damaged header was accepted: " + Encoding.UTF8.GetString(header));
            }
        }

        // A damaged header may still be a correct v1 header (e.g. a space inserted between members).
        private bool IsEquivalentHeader(byte[] header)
        {
            try
            {
                using var doc = System.Text.Json.JsonDocument.Parse(header);
                var root = doc.RootElement;
                return root.GetProperty("alg").GetString() == "ES256" && root.GetProperty("kid").GetString() == _signer.Kid
                    && root.GetProperty("cty").GetString() == JwsSigner.ContentType
                    && root.EnumerateObject().All(p => p.Name is "alg" or "kid" or "cty" or "typ");
            }
            catch (System.Text.Json.JsonException)
            {
                return false;
            }
        }

        private bool Verify(long index, ReadOnlySpan<byte> token, out JwsMessage? message)
        {
            message = null;
            TelemetryResult<JwsMessage> result;
            try
            {
                result = _verifier.Verify(token);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Find(index, "exception", token, "JwsVerifier: " + ex);
                return false;
            }
            if (!result.Success)
            {
                _verifierRefused++;
                if (string.IsNullOrEmpty(result.Error)) Find(index, "no reason", token, "refused without a reason");
                return false;
            }
            _verifierAccepted++;
            message = result.Value;
            return true;
        }

        private static bool SameBatch(TelemetryBatch a, TelemetryBatch b) =>
            (a.Agent, a.Stream, a.Seq, a.Prev, a.Created) == (b.Agent, b.Stream, b.Seq, b.Prev, b.Created)
            && a.Metrics.SequenceEqual(b.Metrics)
            && a.Events.Count == b.Events.Count
            && a.Events.Zip(b.Events).All(p => (p.First.Device, p.First.Type, p.First.Timestamp) == (p.Second.Device, p.Second.Type, p.Second.Timestamp)
                && p.First.Data.OrderBy(kv => kv.Key, StringComparer.Ordinal).SequenceEqual(p.Second.Data.OrderBy(kv => kv.Key, StringComparer.Ordinal)));

        private void Find(long index, string kind, ReadOnlySpan<byte> input, string detail)
        {
            _findingCount++;
            if (_findings.Count >= MaxRecordedFindings) return;
            var text = Encoding.UTF8.GetString(input[..Math.Min(input.Length, 2000)]);
            _findings.Add(new TelemetryFuzzFinding(index, kind, text, detail));
        }
    }
}
