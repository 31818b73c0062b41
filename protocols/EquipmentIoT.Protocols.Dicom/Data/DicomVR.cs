namespace EquipmentIoT.Protocols.Dicom.Data;

/// <summary>Value representations (PS3.5 §6.2, Table 6.2-1); the value is the two ASCII characters, first in the high byte.</summary>
public enum DicomVR : ushort
{
#pragma warning disable CS1591 // The names are the standard's two-letter codes.
    AE = ('A' << 8) | 'E', AS = ('A' << 8) | 'S', AT = ('A' << 8) | 'T', CS = ('C' << 8) | 'S', DA = ('D' << 8) | 'A',
    DS = ('D' << 8) | 'S', DT = ('D' << 8) | 'T', FL = ('F' << 8) | 'L', FD = ('F' << 8) | 'D', IS = ('I' << 8) | 'S',
    LO = ('L' << 8) | 'O', LT = ('L' << 8) | 'T', OB = ('O' << 8) | 'B', OD = ('O' << 8) | 'D', OF = ('O' << 8) | 'F',
    OL = ('O' << 8) | 'L', OV = ('O' << 8) | 'V', OW = ('O' << 8) | 'W', PN = ('P' << 8) | 'N', SH = ('S' << 8) | 'H',
    SL = ('S' << 8) | 'L', SQ = ('S' << 8) | 'Q', SS = ('S' << 8) | 'S', ST = ('S' << 8) | 'T', SV = ('S' << 8) | 'V',
    TM = ('T' << 8) | 'M', UC = ('U' << 8) | 'C', UI = ('U' << 8) | 'I', UL = ('U' << 8) | 'L', UN = ('U' << 8) | 'N',
    UR = ('U' << 8) | 'R', US = ('U' << 8) | 'S', UT = ('U' << 8) | 'T', UV = ('U' << 8) | 'V',
#pragma warning restore CS1591
}

/// <summary>What the codec needs to know about each VR.</summary>
public static class DicomVRInfo
{
    /// <summary>True for a known VR code.</summary>
    public static bool IsKnown(DicomVR vr) => Enum.IsDefined(vr);

    /// <summary>
    /// Explicit VR encodings of these have 2 reserved bytes and a 4-byte length (PS3.5 §7.1.2,
    /// Table 7.1-1): OB, OD, OF, OL, OV, OW, SQ, SV, UC, UN, UR, UT, UV.
    /// </summary>
    public static bool HasLongLength(DicomVR vr) => vr is DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV
        or DicomVR.OW or DicomVR.SQ or DicomVR.SV or DicomVR.UC or DicomVR.UN or DicomVR.UR or DicomVR.UT or DicomVR.UV;

    /// <summary>
    /// Character string VRs affected by the Specific Character Set (PS3.5 §6.1.2.3): SH, LO, ST, LT, PN, UC, UT.
    /// The others (AE, AS, CS, DA, DS, DT, IS, TM, UI, UR) use the default repertoire.
    /// </summary>
    public static bool UsesSpecificCharacterSet(DicomVR vr) =>
        vr is DicomVR.SH or DicomVR.LO or DicomVR.ST or DicomVR.LT or DicomVR.PN or DicomVR.UC or DicomVR.UT;

    /// <summary>True for every character string VR.</summary>
    public static bool IsString(DicomVR vr) => UsesSpecificCharacterSet(vr)
        || vr is DicomVR.AE or DicomVR.AS or DicomVR.CS or DicomVR.DA or DicomVR.DS or DicomVR.DT or DicomVR.IS or DicomVR.TM or DicomVR.UI or DicomVR.UR;

    /// <summary>Text VRs whose leading spaces are significant (PS3.5 Table 6.2-1): ST, LT, UT, UR.</summary>
    public static bool KeepsLeadingSpaces(DicomVR vr) => vr is DicomVR.ST or DicomVR.LT or DicomVR.UT or DicomVR.UR;

    /// <summary>The two-letter code.</summary>
    public static string Code(DicomVR vr) => new([(char)((ushort)vr >> 8), (char)((ushort)vr & 0xFF)]);
}
