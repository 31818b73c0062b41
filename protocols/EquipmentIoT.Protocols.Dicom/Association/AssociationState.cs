namespace EquipmentIoT.Protocols.Dicom.Association;

/// <summary>
/// The states of the DICOM upper layer state machine (PS3.8 §9.2, Table 9-1) that this implementation
/// goes through. The numbers are the standard's (Sta1…Sta13).
/// </summary>
public enum AssociationState
{
    /// <summary>Sta1: idle, no transport connection.</summary>
    Idle = 1,
    /// <summary>Sta2: transport connection open (acceptor), awaiting A-ASSOCIATE-RQ; the ARTIM timer runs.</summary>
    AwaitingAssociateRequest = 2,
    /// <summary>Sta3: awaiting the local A-ASSOCIATE response primitive (the negotiation).</summary>
    AwaitingLocalAssociateResponse = 3,
    /// <summary>Sta4: awaiting the transport connection to open (requestor).</summary>
    AwaitingTransportOpen = 4,
    /// <summary>Sta5: awaiting A-ASSOCIATE-AC or -RJ (requestor).</summary>
    AwaitingAssociateResponse = 5,
    /// <summary>Sta6: association established, ready for data transfer.</summary>
    Established = 6,
    /// <summary>Sta7: awaiting A-RELEASE-RP (we sent A-RELEASE-RQ).</summary>
    AwaitingReleaseResponse = 7,
    /// <summary>Sta8: awaiting the local A-RELEASE response primitive (the peer sent A-RELEASE-RQ).</summary>
    AwaitingLocalReleaseResponse = 8,
    /// <summary>Sta13: awaiting the transport connection to close (after A-ASSOCIATE-RJ, A-RELEASE-RP or A-ABORT); the ARTIM timer runs.</summary>
    AwaitingTransportClose = 13,
}
