using System.ComponentModel.DataAnnotations;
using EquipmentIoT.EdgeAgent.Configuration;
using EquipmentIoT.Protocols.Serial;

namespace EquipmentIoT.EdgeAgent.Adapters.Modbus;

/// <summary>
/// How one Modbus device (slave) is reached: the endpoint, the unit id on it, timing and the circuit breaker
/// that keeps a dead slave from stalling the others on its bus. The register map is the profile's.
/// </summary>
public sealed class ModbusDeviceOptions : IValidatableObject
{
    /// <summary><c>tcp://host:502</c>, <c>rtu:///dev/ttyUSB0</c>, or <c>rtu+tcp://host:port</c> (RTU frames over a TCP socket).</summary>
    [Required]
    public string Endpoint { get; set; } = "";

    /// <summary>The slave address on the bus or behind the gateway (1–247).</summary>
    [Range(1, 247)]
    public int UnitId { get; set; } = 1;

    /// <summary>Serial baud rate (RTU only); also sets t3.5.</summary>
    [Range(300, 4_000_000)]
    public int BaudRate { get; set; } = 19200;

    /// <summary>Serial parity (RTU only).</summary>
    public SerialParity Parity { get; set; } = SerialParity.Even; // the RTU default (Serial Line V1.02 §2.5.1); None should use 2 stop bits

    /// <summary>Serial data bits: RTU characters are 8 bits (Serial Line §2.5.1).</summary>
    [Range(8, 8)]
    public int DataBits { get; set; } = 8;

    /// <summary>Serial stop bits (1 or 2).</summary>
    [Range(1, 2)]
    public int StopBits { get; set; } = 1;

    /// <summary>How long one request waits for its response.</summary>
    [TimeSpanRange("00:00:00.010", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Further tries of a request that timed out, within one poll (0–5).</summary>
    [Range(0, 5)]
    public int Retries { get; set; } = 1;

    /// <summary>Overrides the profile's poll interval for this device.</summary>
    [TimeSpanRange("00:00:00.010", "01:00:00")]
    public TimeSpan? PollInterval { get; set; }

    /// <summary>Consecutive failed polls (after retries) that open the breaker.</summary>
    [Range(1, 100)]
    public int BreakerFailures { get; set; } = 3;

    /// <summary>How long the breaker stays open before the first probe; doubles after each failed probe…</summary>
    [TimeSpanRange("00:00:00.010", "01:00:00")]
    public TimeSpan BreakerOpenDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>…up to this.</summary>
    [TimeSpanRange("00:00:00.010", "01:00:00")]
    public TimeSpan BreakerMaxOpenDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The parsed endpoint (throws when <see cref="Endpoint"/> is invalid; validate first).</summary>
    public ModbusEndpoint ParsedEndpoint() =>
        ModbusEndpoint.TryParse(Endpoint, out var endpoint, out var error) ? endpoint! : throw new InvalidOperationException(error);

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!ModbusEndpoint.TryParse(Endpoint, out _, out var error)) yield return new ValidationResult(error, [nameof(Endpoint)]);
        if (BreakerMaxOpenDelay < BreakerOpenDelay)
            yield return new ValidationResult($"{nameof(BreakerMaxOpenDelay)} must be at least {nameof(BreakerOpenDelay)}", [nameof(BreakerMaxOpenDelay)]);
    }
}
