using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using EquipmentIoT.Protocols.Telemetry.Jose;
using static EquipmentIoT.Protocols.Tests.Telemetry.JwsTestTokens;

namespace EquipmentIoT.Protocols.Tests.Telemetry;

/// <summary>The ES256 signer and the strict verifier (RFC 7515, RFC 7518 §3.4, RFC 8725).</summary>
public sealed class JwsVerifierTests : IDisposable
{
    private const string Payload = """{"v":1}""";
    private readonly ECDsa _key = TelemetrySamples.SpecKey();
    private readonly JwsSigner _signer;
    private readonly JwsVerifier _verifier;

    public JwsVerifierTests()
    {
        _signer = new JwsSigner(_key);
        _verifier = TelemetrySamples.VerifierFor(_key);
    }

    public void Dispose() => _key.Dispose();

    private string Header(string alg = "ES256") => $$"""{"alg":"{{alg}}","kid":"{{_signer.Kid}}","cty":"eq-telemetry-v1+json"}""";

    private string Verify(string compact) => _verifier.Verify(Ascii(compact)).Error ?? "ok";

    [Fact]
    public void Kid_SpecKey_IsTheRfc7638ThumbprintJwcryptoComputes()
    {
        // Pinned from python3-jwcrypto 1.1: JWK.from_pem(<spec public key>).thumbprint().
        Assert.Equal("Aq6Tf8YwfR6P3WmEogdiYzb5_TTLPTFwmjnwwGbwlV4", _signer.Kid);
        Assert.Equal(_signer.Kid, JwkThumbprint.Compute(_key.ExportParameters(false)));
    }

    [Fact]
    public void Sign_Payload_CompactSerialisationWithTheV1Header()
    {
        var compact = Encoding.ASCII.GetString(_signer.Sign(Encoding.UTF8.GetBytes(Payload)));
        var parts = compact.Split('.');

        Assert.Equal(3, parts.Length);
        Assert.Equal("""{"alg":"ES256","kid":"Aq6Tf8YwfR6P3WmEogdiYzb5_TTLPTFwmjnwwGbwlV4","cty":"eq-telemetry-v1+json"}""",
            Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0])));
        Assert.Equal(B64(Payload), parts[1]);
        Assert.Equal(86, parts[2].Length);
        Assert.Equal(_signer.ProtectedHeader, Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0])));
    }

    [Fact]
    public void Verify_Signed_ReturnsKidContentTypeAndPayload()
    {
        var compact = _signer.Sign(Encoding.UTF8.GetBytes(Payload));
        var result = _verifier.Verify(compact);

        Assert.True(result.Success, result.Error);
        Assert.Equal(_signer.Kid, result.Value.Kid);
        Assert.Equal("eq-telemetry-v1+json", result.Value.ContentType);
        Assert.Equal(Payload, Encoding.UTF8.GetString(result.Value.Payload.Span));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(1000)]
    public void Sign_IntoBufferWriter_AppendsExactlyGetCompactLengthBytesThatVerify(int payloadLength)
    {
        var payload = new byte[payloadLength];
        new Random(payloadLength).NextBytes(payload);
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write("prefix"u8);

        var written = _signer.Sign(payload, buffer);

        Assert.Equal(_signer.GetCompactLength(payloadLength), written);
        Assert.Equal(6 + written, buffer.WrittenCount);
        var result = _verifier.Verify(buffer.WrittenSpan[6..]);
        if (payloadLength == 0)
        {
            Assert.Equal("payload: empty (detached payloads are not used by envelope v1)", result.Error);
        }
        else
        {
            Assert.True(result.Success, result.Error);
            Assert.Equal(payload, result.Value.Payload.ToArray());
        }
    }

    [Fact]
    public void Verify_TamperedPayload_SignatureDoesNotVerify()
    {
        var compact = Encoding.ASCII.GetString(_signer.Sign(Encoding.UTF8.GetBytes(Payload)));
        var parts = compact.Split('.');
        var tampered = parts[0] + "." + B64("""{"v":2}""") + "." + parts[2];

        Assert.Equal($"signature: does not verify with the key of kid \"{_signer.Kid}\"", Verify(tampered));
    }

    [Fact]
    public void Verify_TamperedHeader_SignatureDoesNotVerify()
    {
        var parts = Encoding.ASCII.GetString(_signer.Sign(Encoding.UTF8.GetBytes(Payload))).Split('.');
        var header = B64($$"""{"alg":"ES256","kid":"{{_signer.Kid}}","cty":"eq-telemetry-v1+json","typ":"JOSE"}""");

        Assert.StartsWith("signature: does not verify", Verify(header + "." + parts[1] + "." + parts[2]), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SignedByAnotherKeyUnderOurKid_SignatureDoesNotVerify()
    {
        using var other = AgentKeys.Generate();
        Assert.StartsWith("signature: does not verify", Verify(Es256(Header(), Payload, other)), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_KidOfAnotherKey_NoKeyRegistered()
    {
        using var other = AgentKeys.Generate();
        var signed = Encoding.ASCII.GetString(new JwsSigner(other).Sign(Encoding.UTF8.GetBytes(Payload)));
        Assert.Equal($"header: no key is registered for kid \"{JwkThumbprint.Compute(other)}\"", Verify(signed));
    }

    [Fact]
    public void Verify_AlgNone_Refused()
    {
        var unsecured = B64($$"""{"alg":"none","kid":"{{_signer.Kid}}"}""") + "." + B64(Payload) + ".";
        Assert.Equal("signature: empty (an unsecured JWS is refused)", Verify(unsecured));

        var withSignature = Es256($$"""{"alg":"none","kid":"{{_signer.Kid}}"}""", Payload, _key);
        Assert.Equal("header: alg \"none\" is refused: an unsecured JWS (RFC 7518 §3.6) proves nothing", Verify(withSignature));
    }

    [Fact]
    public void Verify_Hs256KeyedWithThePublicKey_Refused()
    {
        var token = Hs256(Header("HS256"), Payload, _key.ExportSubjectPublicKeyInfo());
        Assert.Equal("header: alg \"HS256\" is refused: envelope v1 accepts only ES256 (RFC 7518 §3.4)", Verify(token));
    }

    [Theory]
    [InlineData("ES384")]
    [InlineData("RS256")]
    [InlineData("es256")]
    [InlineData("EdDSA")]
    public void Verify_OtherAlgorithms_Refused(string alg) =>
        Assert.Equal($"header: alg \"{alg}\" is refused: envelope v1 accepts only ES256 (RFC 7518 §3.4)", Verify(Es256(Header(alg), Payload, _key)));

    [Theory]
    [InlineData("""{"alg":"ES256","kid":"K","cty":"eq-telemetry-v1+json","crit":["exp"],"exp":1}""", "header: crit is not supported (RFC 7515 §4.1.11")]
    [InlineData("""{"alg":"ES256","kid":"K","cty":"eq-telemetry-v1+json","jwk":{}}""", "header: unexpected parameter \"jwk\" (envelope v1 allows alg, kid, cty and typ)")]
    [InlineData("""{"alg":"ES256","kid":"K","cty":"eq-telemetry-v1+json","x5u":"http://x"}""", "header: unexpected parameter \"x5u\"")]
    [InlineData("""{"alg":"ES256","alg":"ES256","kid":"K"}""", "header: duplicate parameter \"alg\" (RFC 7515 §5.2 step 4)")]
    [InlineData("""{"alg":"ES256","cty":"eq-telemetry-v1+json"}""", "header: kid missing")]
    [InlineData("""{"kid":"K","cty":"eq-telemetry-v1+json"}""", "header: alg missing (RFC 7515 §4.1.1)")]
    [InlineData("""{"alg":"ES256","kid":"agent-01","cty":"eq-telemetry-v1+json"}""", "header: kid must be an RFC 7638 JWK thumbprint: 43 base64url characters")]
    [InlineData("""{"alg":"ES256","kid":7}""", "header: kid must be a string")]
    [InlineData("""{"alg":"ES256","kid":"K","cty":"application/json"}""", "header: cty \"application/json\" is not \"eq-telemetry-v1+json\"")]
    [InlineData("""{"alg":"ES256","kid":"K"}""", "header: cty missing (expected \"eq-telemetry-v1+json\")")]
    [InlineData("""["ES256"]""", "header: not a JSON object (RFC 7515 §5.2 step 4)")]
    [InlineData("""{"alg":"ES256",}""", "header: not a JSON object (RFC 7515 §5.2 step 4)")]
    [InlineData("""{"alg":"ES256","kid":"K","cty":"eq-telemetry-v1+json"} x""", "header: not a JSON object")]
    public void Verify_BadHeader_RefusedWithReason(string header, string reason)
    {
        var token = Es256(header.Replace("\"K\"", $"\"{_signer.Kid}\"", StringComparison.Ordinal), Payload, _key);
        Assert.StartsWith(reason, Verify(token), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_NoContentTypeRequired_AcceptsMissingCty()
    {
        var verifier = TelemetrySamples.VerifierFor(_key, new JwsVerifierOptions { RequiredContentType = null });
        var result = verifier.Verify(Ascii(Es256($$"""{"alg":"ES256","kid":"{{_signer.Kid}}","typ":"JOSE"}""", Payload, _key)));
        Assert.True(result.Success, result.Error);
        Assert.Null(result.Value.ContentType);
    }

    [Theory]
    [InlineData("", "jws: empty")]
    [InlineData("abc", "jws: not a compact serialisation: no '.'")]
    [InlineData("abc.def", "jws: not a compact serialisation: one '.'")]
    [InlineData("a.b.c.d.e", "jws: more than three parts (a JWE has five; envelope v1 is a JWS of three)")]
    [InlineData(".YQ.YQ", "header: empty")]
    [InlineData("YQ..YQ", "payload: empty")]
    public void Verify_WrongShape_RefusedWithReason(string compact, string reason) =>
        Assert.StartsWith(reason, Verify(compact), StringComparison.Ordinal);

    [Fact]
    public void Verify_Base64UrlDefects_RefusedNamingThePartAndOffset()
    {
        var parts = Encoding.ASCII.GetString(_signer.Sign(Encoding.UTF8.GetBytes("""{"v":1,"x":"ÿÿÿ>>>"}"""))).Split('.');
        string Join(string h, string p, string s) => h + "." + p + "." + s;

        Assert.Equal("payload: byte 0x2B at offset 0 is not base64url (RFC 4648 §5)", Verify(Join(parts[0], "+" + parts[1][1..], parts[2])));
        Assert.Equal("payload: byte 0x2F at offset 3 is not base64url (RFC 4648 §5)", Verify(Join(parts[0], parts[1][..3] + "/" + parts[1][4..], parts[2])));
        Assert.StartsWith("header: padding '=' at offset", Verify(Join(parts[0] + "=", parts[1], parts[2])), StringComparison.Ordinal);
        Assert.Equal("signature: padding '=' at offset 86 (base64url without padding, RFC 7515 §2)", Verify(Join(parts[0], parts[1], parts[2] + "==")));
        Assert.StartsWith("payload: byte 0x20", Verify(Join(parts[0], parts[1][..5] + " " + parts[1][5..], parts[2])), StringComparison.Ordinal);
        Assert.StartsWith("payload: byte 0x0A", Verify(Join(parts[0], parts[1][..5] + "\n" + parts[1][5..], parts[2])), StringComparison.Ordinal);
        Assert.Equal("payload: 1 characters is not a possible base64url length", Verify(Join(parts[0], "A", parts[2])));
    }

    [Fact]
    public void Verify_SignatureWithNonZeroUnusedBits_RefusedAsNonCanonical()
    {
        // 86 characters carry 516 bits for 512: the last character's 4 low bits must be zero (RFC 4648 §3.5);
        // otherwise 16 texts decode to one signature and the chain hash of one batch would not be unique.
        var compact = Encoding.ASCII.GetString(_signer.Sign(Encoding.UTF8.GetBytes(Payload)));
        var last = compact[^1];
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var twin = compact[..^1] + alphabet[alphabet.IndexOf(last, StringComparison.Ordinal) | 1];

        Assert.Equal("signature: the last character has non-zero unused bits (not canonical, RFC 4648 §3.5)", Verify(twin));
    }

    [Theory]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(72)]
    [InlineData(32)]
    public void Verify_SignatureNot64Bytes_Refused(int length)
    {
        var parts = Encoding.ASCII.GetString(_signer.Sign(Encoding.UTF8.GetBytes(Payload))).Split('.');
        var token = parts[0] + "." + parts[1] + "." + B64(new byte[length]);
        Assert.Equal($"signature: {length} bytes; ES256 signatures are 64 (R || S, RFC 7518 §3.4)", Verify(token));
    }

    [Fact]
    public void Verify_DerEncodedSignature_Refused()
    {
        // RFC 7518 §3.4: JWS uses R || S, not the ASN.1 DER form many libraries produce by default.
        var signingInput = B64(Header()) + "." + B64(Payload);
        var der = _key.SignData(Ascii(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        Assert.StartsWith("signature: ", Verify(signingInput + "." + B64(der)), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_OverTheSizeLimit_RefusedBeforeDecoding()
    {
        var verifier = TelemetrySamples.VerifierFor(_key, new JwsVerifierOptions { MaxCompactBytes = 1000 });
        var compact = _signer.Sign(new byte[800]);
        Assert.Equal($"jws: {compact.Length} bytes, more than the limit of 1000", verifier.Verify(compact).Error);
        Assert.True(verifier.Verify(_signer.Sign(new byte[500])).Success);
    }

    [Fact]
    public void Verify_DefaultLimit_Is1MiB()
    {
        var compact = _signer.Sign(new byte[786_432]);
        Assert.True(compact.Length > 1_048_576);
        Assert.Equal($"jws: {compact.Length} bytes, more than the limit of 1048576", Verify(Encoding.ASCII.GetString(compact)));
        Assert.True(_verifier.Verify(_signer.Sign(new byte[786_000])).Success);
    }

    [Fact]
    public void Verify_HeaderOver1KiB_Refused()
    {
        var header = $$"""{"alg":"ES256","kid":"{{_signer.Kid}}","typ":"{{new string('x', 800)}}"}""";
        Assert.StartsWith("header: 1", Verify(Es256(header, Payload, _key)), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_StringWithNonAscii_Refused() => Assert.Equal("jws: contains non-ASCII characters", _verifier.Verify("é.a.b").Error);

    [Fact]
    public void Verify_LookupReturnsP384Key_Refused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var verifier = new JwsVerifier(_ => p384);
        Assert.Equal($"key: the key registered for kid \"{_signer.Kid}\" is not a P-256 key", verifier.Verify(_signer.Sign("{}"u8)).Error);
    }

    [Fact]
    public void Constructor_KeyWithoutPrivatePart_Throws()
    {
        using var publicOnly = AgentKeys.ImportPublicKeyPem(TelemetrySamples.SpecPublicKeyPem);
        Assert.Contains("no private part", Assert.Throws<ArgumentException>(() => new JwsSigner(publicOnly)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_P384Key_Throws()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Contains("ES256 needs a P-256 key", Assert.Throws<ArgumentException>(() => new JwsSigner(p384)).Message, StringComparison.Ordinal);
    }
}
