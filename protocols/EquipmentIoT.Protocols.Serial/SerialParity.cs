namespace EquipmentIoT.Protocols.Serial;

/// <summary>The parity bit of each character.</summary>
public enum SerialParity
{
    /// <summary>No parity bit.</summary>
    None,

    /// <summary>Even parity (PARENB).</summary>
    Even,

    /// <summary>Odd parity (PARENB | PARODD).</summary>
    Odd,
}
