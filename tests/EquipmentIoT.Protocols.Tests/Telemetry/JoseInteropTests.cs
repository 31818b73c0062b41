using System.Text;
using System.Text.Json;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Chain;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Json;

namespace EquipmentIoT.Protocols.Tests.Telemetry;

/// <summary>
/// Interoperability with an independent JOSE implementation (python3-jwcrypto): what we sign it
/// verifies, with the kid it computes as the RFC 7638 thumbprint; what it signs with ES256 we verify.
/// </summary>
public class JoseInteropTests
{
    // Verifies each token with the given public key and reports what jwcrypto saw.
    private const string VerifyScript = """
        import sys, json, hashlib, base64
        from jwcrypto import jwk, jws
        req = json.load(sys.stdin)
        key = jwk.JWK.from_pem(req["pem"].encode())
        for token in req["tokens"]:
            out = {"thumbprint": key.thumbprint()}
            t = jws.JWS()
            try:
                t.deserialize(token)
                t.verify(key)
                out["ok"] = True
                out["header"] = t.jose_header
                batch = json.loads(t.payload.decode("utf-8"))
                out["seq"] = batch["seq"]; out["prev"] = batch["prev"]; out["points"] = len(batch["metrics"])
                out["events"] = len(batch["events"])
                out["firstValue"] = batch["metrics"][0]["value"] if batch["metrics"] else None
            except Exception as e:
                out["ok"] = False; out["error"] = type(e).__name__
            out["hash"] = base64.urlsafe_b64encode(hashlib.sha256(token.encode("ascii")).digest()).rstrip(b"=").decode()
            print(json.dumps(out), flush=True)
        """;

    // Makes a P-256 key, writes batches with Python's own JSON encoder and signs them with ES256.
    private const string SignScript = """
        import sys, json
        from jwcrypto import jwk, jws
        from jwcrypto.common import json_encode
        req = json.load(sys.stdin)
        key = jwk.JWK.generate(kty="EC", crv="P-256")
        header = {"alg": "ES256", "kid": key.thumbprint(), "cty": "eq-telemetry-v1+json"}
        for i in range(req["count"]):
            batch = {"v": 1, "agent": "py-agent", "stream": "metrics", "seq": 1, "prev": None,
                     "created": "2026-11-22T10:00:01.250Z",
                     "metrics": [{"device": "mr-01", "name": "helium_level", "unit": "%",
                                  "ts": "2026-11-22T10:00:01.000Z", "value": 71.3 + i / 7}],
                     "events": [{"device": "mr-01", "type": "state", "ts": "2026-11-22T10:00:00.000Z",
                                 "data": {"state": "idle", "n": i, "ok": True}}]}
            t = jws.JWS(json.dumps(batch, separators=(",", ":")).encode("utf-8"))
            t.add_signature(key, None, json_encode(header))
            print(json.dumps({"pem": key.export_to_pem().decode(), "kid": key.thumbprint(),
                              "value": batch["metrics"][0]["value"], "token": t.serialize(compact=True)}), flush=True)
        """;

    [Fact]
    public async Task Jwcrypto_VerifiesOurChainedBatches_WithOurKidAsItsThumbprint()
    {
        using var key = AgentKeys.Generate();
        var signer = new JwsSigner(key);
        var first = TelemetryEnvelope.Seal(TelemetrySamples.LargeMetricsBatch(200), signer);
        var second = TelemetryEnvelope.Seal(TelemetrySamples.LargeMetricsBatch(200, seq: 2, prev: first.Hash), signer);
        var events = TelemetryEnvelope.Seal(TelemetrySamples.EventsBatch(), signer);
        string[] tokens = [.. new[] { first, second, events }.Select(s => Encoding.ASCII.GetString(s.Jws))];

        var results = await JwcryptoPython.RunAsync(VerifyScript, new { pem = AgentKeys.ExportPublicKeyPem(key), tokens });

        Assert.Equal(3, results.Count);
        foreach (var (result, token) in results.Zip(tokens))
        {
            Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
            Assert.Equal(signer.Kid, result.GetProperty("thumbprint").GetString());
            Assert.Equal(signer.Kid, result.GetProperty("header").GetProperty("kid").GetString());
            Assert.Equal("ES256", result.GetProperty("header").GetProperty("alg").GetString());
            Assert.Equal("eq-telemetry-v1+json", result.GetProperty("header").GetProperty("cty").GetString());
            Assert.Equal(TelemetryChain.Hash(Encoding.ASCII.GetBytes(token)), result.GetProperty("hash").GetString());
        }
        Assert.Equal(200, results[0].GetProperty("points").GetInt32());
        Assert.Equal(JsonValueKind.Null, results[0].GetProperty("prev").ValueKind);
        Assert.Equal(2, results[1].GetProperty("seq").GetInt64());
        Assert.Equal(results[0].GetProperty("hash").GetString(), results[1].GetProperty("prev").GetString());
        Assert.Equal(TelemetrySamples.LargeMetricsBatch(1).Metrics[0].Value, results[0].GetProperty("firstValue").GetDouble());
        Assert.Equal(2, results[2].GetProperty("events").GetInt32());
    }

    [Fact]
    public async Task Jwcrypto_TamperedToken_RefusesIt()
    {
        // The harness must be able to fail, or the test above proves nothing.
        using var key = AgentKeys.Generate();
        var token = Encoding.ASCII.GetString(TelemetryEnvelope.Seal(TelemetrySamples.MetricsBatch(), new JwsSigner(key)).Jws);
        var parts = token.Split('.');
        var tampered = parts[0] + "." + JwsTestTokens.B64(Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])).Replace("71.3", "11.3", StringComparison.Ordinal)) + "." + parts[2];
        using var other = AgentKeys.Generate();

        var tamperedResult = await JwcryptoPython.RunAsync(VerifyScript, new { pem = AgentKeys.ExportPublicKeyPem(key), tokens = new[] { tampered } });
        var wrongKeyResult = await JwcryptoPython.RunAsync(VerifyScript, new { pem = AgentKeys.ExportPublicKeyPem(other), tokens = new[] { token } });

        Assert.False(tamperedResult[0].GetProperty("ok").GetBoolean());
        Assert.False(wrongKeyResult[0].GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task OurVerifier_AcceptsJwcryptoEs256Tokens_AndReadsPythonWrittenBatches()
    {
        // 24 signatures: about half have S > n/2, which a low-S-only verifier would wrongly refuse.
        var results = await JwcryptoPython.RunAsync(SignScript, new { count = 24 });

        Assert.Equal(24, results.Count);
        using var key = AgentKeys.ImportPublicKeyPem(results[0].GetProperty("pem").GetString()!, "jwcrypto's key");
        var kid = JwkThumbprint.Compute(key);
        Assert.Equal(results[0].GetProperty("kid").GetString(), kid);
        var verifier = new JwsVerifier(k => k == kid ? key : null);
        foreach (var result in results)
        {
            var opened = TelemetryEnvelope.Open(Encoding.ASCII.GetBytes(result.GetProperty("token").GetString()!), verifier, "py-agent");
            Assert.True(opened.Success, opened.Error);
            Assert.Equal(kid, opened.Value.Message.Kid);
            Assert.Equal(result.GetProperty("value").GetDouble(), opened.Value.Batch.Metrics[0].Value);
            Assert.Equal("idle", opened.Value.Batch.Events[0].Data["state"].AsString);
            Assert.True(opened.Value.Batch.Events[0].Data["ok"].AsBoolean);
        }
    }

    [Fact]
    public async Task OurVerifier_JwcryptoTokenWithOneByteChanged_Refused()
    {
        var results = await JwcryptoPython.RunAsync(SignScript, new { count = 1 });
        using var key = AgentKeys.ImportPublicKeyPem(results[0].GetProperty("pem").GetString()!);
        var token = Encoding.ASCII.GetBytes(results[0].GetProperty("token").GetString()!);
        var dot = Array.IndexOf(token, (byte)'.');
        token[dot + 10] = token[dot + 10] == (byte)'A' ? (byte)'B' : (byte)'A';

        var result = TelemetrySamples.VerifierFor(key).Verify(token);
        Assert.StartsWith("signature: does not verify", result.Error, StringComparison.Ordinal);
    }
}
