namespace EquipmentIoT.Protocols.LineProtocol;

/// <summary>The data types of a field value (line protocol reference, "Data types").</summary>
public enum LineFieldKind
{
    /// <summary>64-bit IEEE-754 float, written without a suffix.</summary>
    Float,

    /// <summary>Signed 64-bit integer, written with the <c>i</c> suffix.</summary>
    Integer,

    /// <summary>Unsigned 64-bit integer, written with the <c>u</c> suffix (InfluxDB 1.8+).</summary>
    UnsignedInteger,

    /// <summary>Boolean, written <c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>String, written in double quotes with <c>"</c> and <c>\</c> escaped.</summary>
    String,
}
