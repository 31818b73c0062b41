using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Protocols.Tests.Telemetry;

/// <summary>Fixed batches and the fixed test key of SPEC.md §examples, shared by the telemetry tests.</summary>
internal static class TelemetrySamples
{
    /// <summary>
    /// The example key of SPEC.md §examples (generated once with python3-cryptography for this purpose;
    /// it signs nothing but examples and tests). Its RFC 7638 thumbprint is <see cref="SpecKid"/>.
    /// </summary>
    public const string SpecPrivateKeyPem = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgqTp344iAI6lB+aYw
        +vAs8DNsfhlrVvB+ktFlcK5qadihRANCAAR2nhfvdUkUZRRqnj2QXlqCh5fSK92j
        et5+FIwi54a2dMxXSnzgsaZpSLPwGCmW4II2xdjivw23em23xoV6oa4P
        -----END PRIVATE KEY-----
        """;

    /// <summary>The public half of <see cref="SpecPrivateKeyPem"/>.</summary>
    public const string SpecPublicKeyPem = """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEdp4X73VJFGUUap49kF5agoeX0ivd
        o3refhSMIueGtnTMV0p84LGmaUiz8BgpluCCNsXY4r8Nt3ptt8aFeqGuDw==
        -----END PUBLIC KEY-----
        """;

    public static readonly Instant Created = Instant.FromUtc(2026, 11, 22, 10, 0, 1) + Duration.FromMilliseconds(250);

    public static ECDsa SpecKey() => AgentKeys.ImportPrivateKeyPem(SpecPrivateKeyPem, "the spec example key");

    /// <summary>The metrics batch of the brief: two MR readings, one uncertain, no events.</summary>
    public static TelemetryBatch MetricsBatch(long seq = 1, string? prev = null) => new(
        "agent-01", TelemetryStreams.Metrics, seq, prev, Created,
        [
            new MetricPoint("mr-01", "helium_level", "%", Instant.FromUtc(2026, 11, 22, 10, 0, 1), 71.3),
            new MetricPoint("mr-01", "room_temp", "Cel", Instant.FromUtc(2026, 11, 22, 10, 0, 1), 21.5, MetricQuality.Uncertain),
        ],
        []);

    /// <summary>An events batch: a state change and a fault with every value kind.</summary>
    public static TelemetryBatch EventsBatch(long seq = 1, string? prev = null) => new(
        "agent-01", TelemetryStreams.Events, seq, prev, Created,
        [],
        [
            new TelemetryEvent("mr-01", EventTypes.State, Instant.FromUtc(2026, 11, 22, 9, 59, 58) + Duration.FromMilliseconds(120),
                new Dictionary<string, EventValue> { ["state"] = "scanning", ["previous"] = "idle" }),
            new TelemetryEvent("mr-01", EventTypes.Fault, Instant.FromUtc(2026, 11, 22, 10, 0, 0) + Duration.FromMilliseconds(5),
                new Dictionary<string, EventValue> { ["code"] = "HE-104", ["active"] = true, ["severity"] = 2L, ["text"] = "Helium level low" }),
        ]);

    /// <summary>A batch of <paramref name="points"/> readings across a few devices and metrics, as an agent makes them.</summary>
    public static TelemetryBatch LargeMetricsBatch(int points, long seq = 1, string? prev = null)
    {
        string[] devices = ["mr-01", "ct-02", "am-03", "linac-04"];
        string[] names = ["helium_level", "helium_pressure", "room_temp", "room_humidity", "chiller_flow", "o2_ppm", "laser_power", "chamber_temp"];
        string?[] units = ["%", "kPa", "Cel", "%", "L/min", "ppm", "W", null];
        var start = Instant.FromUtc(2026, 11, 22, 10, 0);
        var list = new MetricPoint[points];
        for (var i = 0; i < points; i++)
        {
            var m = i % names.Length;
            list[i] = new MetricPoint(devices[i / names.Length % devices.Length], names[m], units[m],
                start + Duration.FromMilliseconds(250L * i), Math.Round(20 + (i % 97) * 0.731, 3),
                i % 50 == 0 ? MetricQuality.Uncertain : MetricQuality.Good);
        }
        return new TelemetryBatch("agent-01", TelemetryStreams.Metrics, seq, prev, start + Duration.FromMilliseconds(250L * points), list, []);
    }

    /// <summary>A verifier that knows exactly one key.</summary>
    public static JwsVerifier VerifierFor(ECDsa key, JwsVerifierOptions? options = null)
    {
        var kid = JwkThumbprint.Compute(key);
        return new JwsVerifier(k => k == kid ? key : null, options);
    }

    /// <summary>A file of this project's source tree, found from this source file's path.</summary>
    public static string RepositoryFile(string relativePath, [CallerFilePath] string here = "")
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(here)!);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EquipmentIoT.sln")))
        {
            directory = directory.Parent;
        }
        if (directory is null) throw new InvalidOperationException($"no EquipmentIoT.sln above {here}");
        return Path.Combine(directory.FullName, relativePath);
    }
}
