using System.Globalization;

namespace EquipmentIoT.Testing.Fuzzing;

/// <summary>What one <see cref="MqttDecoderFuzzer.Run"/> saw.</summary>
/// <param name="Seed">The seed: the same seed and input count replay the same inputs.</param>
/// <param name="Inputs">Inputs fed to the decoder.</param>
/// <param name="MaxPacketSize">The maximum packet size given to the frame reader.</param>
/// <param name="DecodedPackets">Packets decoded without error (an input may hold several).</param>
/// <param name="ProtocolErrors">Inputs that ended in <c>MqttProtocolException</c>.</param>
/// <param name="Incomplete">Inputs that ended with a partial packet: the reader asked for more bytes.</param>
/// <param name="FindingCount">Inputs that broke the contract; only the first few are in <paramref name="Findings"/>.</param>
/// <param name="Findings">The first findings, with the input that caused each.</param>
/// <param name="Elapsed">Wall time of the run.</param>
public sealed record MqttFuzzReport(
    int Seed,
    long Inputs,
    int MaxPacketSize,
    long DecodedPackets,
    long ProtocolErrors,
    long Incomplete,
    long FindingCount,
    IReadOnlyList<MqttFuzzFinding> Findings,
    TimeSpan Elapsed)
{
    /// <summary>Inputs per second.</summary>
    public double InputsPerSecond => Elapsed > TimeSpan.Zero ? Inputs / Elapsed.TotalSeconds : 0;

    /// <summary>One line: counts, rate and findings.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"MQTT decoder fuzz seed {Seed}: {Inputs:N0} inputs in {Elapsed.TotalSeconds:F2} s ({InputsPerSecond:N0}/s), " +
        $"{DecodedPackets:N0} packets decoded, {ProtocolErrors:N0} protocol errors, {Incomplete:N0} incomplete, " +
        $"{FindingCount:N0} findings (max packet {MaxPacketSize:N0} B)");
}

/// <summary>One broken rule: which input, its bytes, and what happened.</summary>
/// <param name="InputIndex">Position of the input in the run (replay with the same seed).</param>
/// <param name="Kind">Which rule broke: unexpected exception, no progress, allocation, rejected valid input, round trip.</param>
/// <param name="InputHex">The input bytes in hex (cut after 4096 bytes).</param>
/// <param name="Detail">The exception (type, message, stack) or a description.</param>
public sealed record MqttFuzzFinding(long InputIndex, string Kind, string InputHex, string Detail)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"#{InputIndex} {Kind}: {Detail}{Environment.NewLine}  input: {InputHex}");
}
