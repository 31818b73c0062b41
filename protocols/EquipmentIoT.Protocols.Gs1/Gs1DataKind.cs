namespace EquipmentIoT.Protocols.Gs1;

/// <summary>How the data field of an Application Identifier is written and checked.</summary>
public enum Gs1DataKind
{
    /// <summary>14 digits whose last is the GS1 mod-10 check digit (§7.9.1).</summary>
    Gtin,

    /// <summary>YYMMDD; DD may be 00 when the day is not given (§3.4, AI (11) and (17)).</summary>
    Date,

    /// <summary>Digits only (format N).</summary>
    Numeric,

    /// <summary>Characters of GS1 AI encodable character set 82 (format X, Figure 7.11-1).</summary>
    Alphanumeric,
}
