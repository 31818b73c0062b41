namespace EquipmentIoT.Protocols.Serial.Framing;

/// <summary>Which bytes end a line.</summary>
public enum LineEnding
{
    /// <summary>LF alone ends a line; a CR is an ordinary control byte (counted and dropped).</summary>
    Lf,

    /// <summary>LF ends a line and a CR right before it belongs to the terminator; any other CR is a control byte.</summary>
    CrLf,

    /// <summary>LF, CR LF or a lone CR each end one line (old equipment that sends CR only).</summary>
    Any,
}
