using EquipmentIoT.Protocols.Modbus.Framing;

namespace EquipmentIoT.Protocols.Modbus.Client;

/// <summary>Settings of a <see cref="ModbusRtuMaster"/>.</summary>
public sealed record ModbusRtuMasterOptions
{
    /// <summary>The line's baud rate: sets t1.5 and t3.5 (<see cref="ModbusRtuTiming"/>).</summary>
    public int BaudRate { get; init; } = 19200;

    /// <summary>How long a request waits for its response (the spec's response time-out, Serial Line §2.4.1).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The pause after a broadcast before the next request (the "turnaround delay", Serial Line §2.4.1:
    /// typically 100 to 200 ms) so that slaves can process it.
    /// </summary>
    public TimeSpan TurnaroundDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The least silence that ends an incomplete frame. t3.5 is a few milliseconds at most; USB adapters and
    /// operating-system timers deliver bytes in bursts, so a partial frame is given at least this long before
    /// its bytes are dropped as garbage.
    /// </summary>
    public TimeSpan MinimumFrameSilence { get; init; } = TimeSpan.FromMilliseconds(20);
}
