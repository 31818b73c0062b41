namespace EquipmentIoT.Protocols.LineProtocol;

/// <summary>
/// The unit of a line's timestamp. InfluxDB 1.x takes it from the <c>precision</c> query parameter of
/// <c>/write</c> (<c>ns</c>, <c>u</c>, <c>ms</c>, <c>s</c>), so every line of one request shares it.
/// </summary>
public enum LinePrecision
{
    /// <summary>Nanoseconds since the Unix epoch (the default when <c>precision</c> is absent).</summary>
    Nanoseconds,

    /// <summary>Microseconds since the Unix epoch (<c>precision=u</c>).</summary>
    Microseconds,

    /// <summary>Milliseconds since the Unix epoch (<c>precision=ms</c>).</summary>
    Milliseconds,

    /// <summary>Seconds since the Unix epoch (<c>precision=s</c>).</summary>
    Seconds,
}
