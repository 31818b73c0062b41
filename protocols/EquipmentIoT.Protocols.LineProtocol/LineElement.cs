namespace EquipmentIoT.Protocols.LineProtocol;

/// <summary>The parts of a line whose text follows different escaping rules (reference, "Special characters").</summary>
internal enum LineElement
{
    /// <summary>Escapes comma and space.</summary>
    Measurement,

    /// <summary>Escapes comma, equals sign and space.</summary>
    TagKey,

    /// <summary>Escapes comma, equals sign and space.</summary>
    TagValue,

    /// <summary>Escapes comma, equals sign and space.</summary>
    FieldKey,

    /// <summary>Quoted; escapes double quote and backslash.</summary>
    StringValue,
}
