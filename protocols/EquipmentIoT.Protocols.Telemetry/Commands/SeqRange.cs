using System.Globalization;

namespace EquipmentIoT.Protocols.Telemetry.Commands;

/// <summary>An inclusive range of batch sequence numbers, written <c>[from,to]</c> in JSON.</summary>
/// <param name="From">The first seq in the range.</param>
/// <param name="To">The last seq in the range (≥ <paramref name="From"/>).</param>
public readonly record struct SeqRange(long From, long To)
{
    /// <summary>How many sequence numbers the range holds.</summary>
    public long Count => To - From + 1;

    /// <summary><c>[from,to]</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[{From},{To}]");
}
