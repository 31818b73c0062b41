namespace EquipmentIoT.Protocols.Modbus.Client;

/// <summary>Settings of a <see cref="ModbusTcpMaster"/>.</summary>
public sealed record ModbusTcpMasterOptions
{
    /// <summary>How long a request waits for its response.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a connection attempt may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Requests sent before their predecessors were answered (TCP/IP Implementation Guide §4.2.1 allows
    /// several; many gateways handle 1 to 16). 1 disables pipelining.
    /// </summary>
    public int MaxInFlight { get; init; } = 8;
}
