namespace EquipmentIoT.Bench.Modbus;

/// <summary>What one polling run did.</summary>
/// <param name="Requests">FC3 requests answered in full.</param>
/// <param name="Registers">Registers those requests read.</param>
/// <param name="Seconds">Wall-clock seconds the run took.</param>
/// <param name="CpuSeconds">CPU seconds the master used (this process, or mbpoll's own), NaN if unknown.</param>
internal sealed record PollResult(long Requests, long Registers, double Seconds, double CpuSeconds)
{
    public double RegistersPerSecond => Registers / Seconds;

    public double RequestsPerSecond => Requests / Seconds;
}
