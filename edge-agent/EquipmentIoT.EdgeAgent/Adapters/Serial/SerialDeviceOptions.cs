using System.ComponentModel.DataAnnotations;
using EquipmentIoT.EdgeAgent.Configuration;
using EquipmentIoT.Protocols.Serial;

namespace EquipmentIoT.EdgeAgent.Adapters.Serial;

/// <summary>
/// How one device is connected to a serial port (configuration, not profile: the profile says what the
/// lines mean). Defaults: 9600 8N1, reopen after 1 s doubling to 1 min, degraded after 5 min of silence.
/// </summary>
public sealed class SerialDeviceOptions : IValidatableObject
{
    /// <summary>The device path; prefer a stable /dev/serial/by-id/… link over /dev/ttyUSBn.</summary>
    [Required]
    public string Port { get; set; } = "";

    /// <summary>Bits per second: 1200, 1800, 2400, 4800, 9600, 19200, 38400, 57600, 115200 or 230400.</summary>
    [Range(1200, 230400)]
    public int BaudRate { get; set; } = 9600;

    /// <summary>None, Even or Odd.</summary>
    public SerialParity Parity { get; set; } = SerialParity.None;

    /// <summary>5 to 8.</summary>
    [Range(5, 8)]
    public int DataBits { get; set; } = 8;

    /// <summary>1 or 2.</summary>
    [Range(1, 2)]
    public int StopBits { get; set; } = 1;

    /// <summary>Wait before the first attempt to reopen a port that failed or went away.</summary>
    [TimeSpanRange("00:00:00.010", "00:10:00")]
    public TimeSpan ReopenDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the reopen delay, which doubles per failed attempt (with jitter).</summary>
    [TimeSpanRange("00:00:00.010", "01:00:00")]
    public TimeSpan MaxReopenDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// No byte for this long: the adapter reports Degraded ("no data for …") and drops a partial line.
    /// Pick it longer than the equipment's status interval.
    /// </summary>
    [TimeSpanRange("00:00:00.100", "1.00:00:00")]
    public TimeSpan SilenceTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The port settings these options describe.</summary>
    public SerialPortSettings ToSettings() => new(Port, BaudRate, Parity, DataBits, StopBits);

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Port))
        {
            ArgumentException? problem = null;
            try
            {
                ToSettings().Validate();
            }
            catch (ArgumentException e)
            {
                problem = e;
            }

            if (problem is not null) yield return new ValidationResult(problem.Message, [problem.ParamName == "Path" ? nameof(Port) : problem.ParamName ?? nameof(Port)]);
        }

        if (MaxReopenDelay < ReopenDelay) yield return new ValidationResult($"{nameof(MaxReopenDelay)} must not be less than {nameof(ReopenDelay)}", [nameof(MaxReopenDelay)]);
    }
}
