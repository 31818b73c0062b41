namespace EquipmentIoT.Protocols.Dicom.Pdu;

/// <summary>PDU types (PS3.8 §9.3.1, Table 9-11 ff.).</summary>
public enum PduType : byte
{
    /// <summary>A-ASSOCIATE-RQ.</summary>
    AssociateRequest = 0x01,
    /// <summary>A-ASSOCIATE-AC.</summary>
    AssociateAccept = 0x02,
    /// <summary>A-ASSOCIATE-RJ.</summary>
    AssociateReject = 0x03,
    /// <summary>P-DATA-TF.</summary>
    PData = 0x04,
    /// <summary>A-RELEASE-RQ.</summary>
    ReleaseRequest = 0x05,
    /// <summary>A-RELEASE-RP.</summary>
    ReleaseResponse = 0x06,
    /// <summary>A-ABORT.</summary>
    Abort = 0x07,
}

/// <summary>A protocol data unit of the DICOM upper layer (PS3.8 §9.3). Plain data; see <see cref="PduReader"/> and <see cref="PduWriter"/>.</summary>
public abstract record DicomPdu
{
    /// <summary>The PDU type.</summary>
    public abstract PduType Type { get; }

    /// <summary>The name PS3.8 gives the PDU, for messages.</summary>
    public static string Name(PduType type) => type switch
    {
        PduType.AssociateRequest => "A-ASSOCIATE-RQ",
        PduType.AssociateAccept => "A-ASSOCIATE-AC",
        PduType.AssociateReject => "A-ASSOCIATE-RJ",
        PduType.PData => "P-DATA-TF",
        PduType.ReleaseRequest => "A-RELEASE-RQ",
        PduType.ReleaseResponse => "A-RELEASE-RP",
        PduType.Abort => "A-ABORT",
        _ => $"PDU type 0x{(byte)type:X2}",
    };
}
