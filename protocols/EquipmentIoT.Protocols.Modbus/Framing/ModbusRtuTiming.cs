namespace EquipmentIoT.Protocols.Modbus.Framing;

/// <summary>
/// RTU inter-character (t1.5) and inter-frame (t3.5) times (Serial Line V1.02 §2.5.1.1): 1.5 and 3.5 character
/// times of 11 bits at the baud rate; above 19200 baud fixed at 750 µs and 1750 µs.
/// </summary>
public sealed record ModbusRtuTiming(TimeSpan CharacterTime, TimeSpan T15, TimeSpan T35)
{
    /// <summary>The bits of one RTU character: start, 8 data, parity or second stop, stop (§2.5.1).</summary>
    public const int BitsPerCharacter = 11;

    /// <summary>The times for <paramref name="baudRate"/>.</summary>
    public static ModbusRtuTiming FromBaudRate(int baudRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(baudRate, 50);
        var character = TimeSpan.FromTicks((long)Math.Ceiling(BitsPerCharacter * (double)TimeSpan.TicksPerSecond / baudRate));
        if (baudRate > 19200) return new ModbusRtuTiming(character, TimeSpan.FromMicroseconds(750), TimeSpan.FromMicroseconds(1750));
        return new ModbusRtuTiming(character, TimeSpan.FromTicks(character.Ticks * 3 / 2), TimeSpan.FromTicks(character.Ticks * 7 / 2));
    }
}
