namespace EquipmentIoT.Protocols.Dicom;

/// <summary>The UIDs this library speaks (PS3.6 Annex A).</summary>
public static class DicomUids
{
    /// <summary>DICOM Application Context Name (PS3.7 Annex A.2.1).</summary>
    public const string ApplicationContext = "1.2.840.10008.3.1.1.1";

    /// <summary>Verification SOP Class (C-ECHO, PS3.4 Annex A).</summary>
    public const string Verification = "1.2.840.10008.1.1";

    /// <summary>Modality Performed Procedure Step SOP Class (PS3.4 Annex F.7).</summary>
    public const string ModalityPerformedProcedureStep = "1.2.840.10008.3.1.2.3.3";

    /// <summary>Implicit VR Little Endian, the DICOM default transfer syntax (PS3.5 §10.1).</summary>
    public const string ImplicitVRLittleEndian = "1.2.840.10008.1.2";

    /// <summary>Explicit VR Little Endian (PS3.5 Annex A.2).</summary>
    public const string ExplicitVRLittleEndian = "1.2.840.10008.1.2.1";

    /// <summary>Our implementation class UID (PS3.7 D.3.3.2), under the UUID-derived root 2.25.</summary>
    public const string ImplementationClass = "2.25.183542918350591276338164529376155140561";

    /// <summary>Our implementation version name (at most 16 characters).</summary>
    public const string ImplementationVersion = "EQIOT_DICOM_1";

    /// <summary>A new UID under 2.25 (PS3.5 B.2): the decimal form of a random UUID.</summary>
    public static string NewUid()
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // variant RFC 4122
        var value = new System.Numerics.BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        return "2.25." + value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>True when <paramref name="uid"/> is a syntactically valid UID (PS3.5 §9.1: digits and dots, ≤ 64).</summary>
    public static bool IsValid(string? uid)
    {
        if (string.IsNullOrEmpty(uid) || uid.Length > 64) return false;
        var previousDot = true;
        for (var i = 0; i < uid.Length; i++)
        {
            var c = uid[i];
            if (c == '.')
            {
                if (previousDot) return false;
                previousDot = true;
                continue;
            }

            if (c is < '0' or > '9') return false;
            // A component of more than one digit does not start with 0.
            if (c == '0' && previousDot && i + 1 < uid.Length && uid[i + 1] != '.') return false;
            previousDot = false;
        }

        return !previousDot;
    }
}
