namespace EquipmentIoT.Protocols.Dicom.Pdu;

/// <summary>How large a PDU the reader accepts, checked from the 6-byte header before anything is buffered or allocated.</summary>
/// <param name="MaxPDataLength">
/// Largest P-DATA-TF PDU length: the "maximum length received" we announced (PS3.8 D.1; the PDU length
/// field counts the variable field, which is what that limit bounds).
/// </param>
/// <param name="MaxAssociateLength">Largest A-ASSOCIATE-RQ/AC/RJ PDU length.</param>
public readonly record struct PduLimits(uint MaxPDataLength, uint MaxAssociateLength)
{
    /// <summary>Hard cap on any PDU whatever was negotiated: 16 MiB.</summary>
    public const uint HardCap = 16 * 1024 * 1024;

    /// <summary>Default maximum length received that we announce: 64 KiB.</summary>
    public const uint DefaultMaxPDataLength = 64 * 1024;

    /// <summary>Default cap on association PDUs: 64 KiB (128 contexts with a few transfer syntaxes each need ~20 KiB).</summary>
    public const uint DefaultMaxAssociateLength = 64 * 1024;

    /// <summary>The defaults.</summary>
    public static PduLimits Default => new(DefaultMaxPDataLength, DefaultMaxAssociateLength);
}
