using EquipmentIoT.Protocols.Dicom.Data;
using EquipmentIoT.Protocols.Dicom.Pdu;

namespace EquipmentIoT.Protocols.Dicom.Association;

/// <summary>Settings of a <see cref="DicomServer"/> (the association acceptor).</summary>
public sealed record DicomServerOptions
{
    /// <summary>Our AE title (1-16 characters): requests calling another title are rejected.</summary>
    public required string AeTitle { get; init; }

    /// <summary>Calling AE titles accepted; null accepts any.</summary>
    public IReadOnlySet<string>? AcceptedCallingAeTitles { get; init; }

    /// <summary>Most associations at once; more are rejected (transient, local-limit-exceeded).</summary>
    public int MaxAssociations { get; init; } = 16;

    /// <summary>ARTIM (PS3.8 §9.1.5): the A-ASSOCIATE-RQ must arrive this soon after connecting; also bounds waiting for the peer to close.</summary>
    public TimeSpan ArtimTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>An established association with no PDU for this long is aborted.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The maximum length received we announce (P-DATA-TF PDUs beyond it are refused).</summary>
    public uint MaxPduLength { get; init; } = PduLimits.DefaultMaxPDataLength;

    /// <summary>Largest data set of one DIMSE message.</summary>
    public int MaxDatasetLength { get; init; } = 4 * 1024 * 1024;

    /// <summary>Limits of the data set decoder.</summary>
    public DatasetReadOptions DatasetLimits { get; init; } = DatasetReadOptions.Default;

    /// <summary>The PDU limits that follow from these settings.</summary>
    public PduLimits PduLimits => new(MaxPduLength, PduLimits.DefaultMaxAssociateLength);
}
