using System.Globalization;

namespace EquipmentIoT.Protocols.Tests.Telemetry.Fuzzing;

/// <summary>What one <see cref="TelemetryFuzzer.Run"/> saw.</summary>
/// <param name="Seed">The seed: the same seed and input count replay the same inputs.</param>
/// <param name="Inputs">Inputs fed.</param>
/// <param name="ReaderAccepted">Payloads the batch reader accepted.</param>
/// <param name="ReaderRefused">Payloads the batch reader refused with a reason.</param>
/// <param name="VerifierAccepted">Compact serialisations the verifier accepted.</param>
/// <param name="VerifierRefused">Compact serialisations the verifier refused with a reason.</param>
/// <param name="FindingCount">Inputs that broke the contract; only the first few are in <paramref name="Findings"/>.</param>
/// <param name="Findings">The first findings.</param>
/// <param name="Elapsed">Wall time.</param>
internal sealed record TelemetryFuzzReport(int Seed, long Inputs, long ReaderAccepted, long ReaderRefused, long VerifierAccepted,
    long VerifierRefused, long FindingCount, IReadOnlyList<TelemetryFuzzFinding> Findings, TimeSpan Elapsed)
{
    /// <summary>One line: counts, rate and findings.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"telemetry fuzz seed {Seed}: {Inputs:N0} inputs in {Elapsed.TotalSeconds:F2} s; reader {ReaderAccepted:N0} accepted / " +
        $"{ReaderRefused:N0} refused; verifier {VerifierAccepted:N0} accepted / {VerifierRefused:N0} refused; {FindingCount:N0} findings");
}

/// <summary>One broken rule: which input, its text, and what happened.</summary>
/// <param name="InputIndex">Position of the input in the run (replay with the same seed).</param>
/// <param name="Kind">Which rule broke: exception, forgery accepted, valid input refused, round trip.</param>
/// <param name="Input">The input (UTF-8 with invalid bytes replaced; cut after 2000 characters).</param>
/// <param name="Detail">The exception or a description.</param>
internal sealed record TelemetryFuzzFinding(long InputIndex, string Kind, string Input, string Detail)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"#{InputIndex} {Kind}: {Detail}{Environment.NewLine}  input: {Input}");
}
