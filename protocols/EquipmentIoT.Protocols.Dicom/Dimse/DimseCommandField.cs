namespace EquipmentIoT.Protocols.Dicom.Dimse;

/// <summary>Command Field (0000,0100) values used here (PS3.7 Annex E, Tables E.1-1 and 9.x/10.x).</summary>
public enum DimseCommandField : ushort
{
    /// <summary>C-ECHO-RQ.</summary>
    CEchoRequest = 0x0030,
    /// <summary>C-ECHO-RSP.</summary>
    CEchoResponse = 0x8030,
    /// <summary>N-SET-RQ.</summary>
    NSetRequest = 0x0120,
    /// <summary>N-SET-RSP.</summary>
    NSetResponse = 0x8120,
    /// <summary>N-CREATE-RQ.</summary>
    NCreateRequest = 0x0140,
    /// <summary>N-CREATE-RSP.</summary>
    NCreateResponse = 0x8140,
}

/// <summary>A DIMSE status (0000,0900), PS3.7 Annex C; the codes the services here return.</summary>
public readonly record struct DimseStatus(ushort Code)
{
    /// <summary>0000 Success.</summary>
    public static readonly DimseStatus Success = new(0x0000);
    /// <summary>0105 No such attribute.</summary>
    public static readonly DimseStatus NoSuchAttribute = new(0x0105);
    /// <summary>0106 Invalid attribute value.</summary>
    public static readonly DimseStatus InvalidAttributeValue = new(0x0106);
    /// <summary>0110 Processing failure.</summary>
    public static readonly DimseStatus ProcessingFailure = new(0x0110);
    /// <summary>0111 Duplicate SOP Instance.</summary>
    public static readonly DimseStatus DuplicateSopInstance = new(0x0111);
    /// <summary>0112 No such SOP Instance.</summary>
    public static readonly DimseStatus NoSuchSopInstance = new(0x0112);
    /// <summary>0117 Invalid object instance.</summary>
    public static readonly DimseStatus InvalidObjectInstance = new(0x0117);
    /// <summary>0118 No such SOP Class.</summary>
    public static readonly DimseStatus NoSuchSopClass = new(0x0118);
    /// <summary>0120 Missing attribute.</summary>
    public static readonly DimseStatus MissingAttribute = new(0x0120);
    /// <summary>0121 Missing attribute value.</summary>
    public static readonly DimseStatus MissingAttributeValue = new(0x0121);
    /// <summary>0211 Unrecognized operation.</summary>
    public static readonly DimseStatus UnrecognizedOperation = new(0x0211);
    /// <summary>0213 Resource limitation.</summary>
    public static readonly DimseStatus ResourceLimitation = new(0x0213);

    /// <summary>True for 0000.</summary>
    public bool IsSuccess => Code == 0;

    /// <inheritdoc/>
    public override string ToString() => $"0x{Code:X4}";
}
