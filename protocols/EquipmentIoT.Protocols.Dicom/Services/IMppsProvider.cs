using EquipmentIoT.Protocols.Dicom.Association;
using EquipmentIoT.Protocols.Dicom.Data;

namespace EquipmentIoT.Protocols.Dicom.Services;

/// <summary>
/// What an MPPS SCP application does with performed procedure steps that passed the state rules of
/// PS3.4 F.7 (checked by <see cref="MppsService"/>). An exception answers the SCU with 0110 (processing failure).
/// </summary>
public interface IMppsProvider
{
    /// <summary>A new step, IN PROGRESS.</summary>
    Task OnNCreateAsync(MppsNotification notification, CancellationToken cancellationToken);

    /// <summary>A step was updated; <see cref="MppsNotification.Status"/> says whether it is now COMPLETED or DISCONTINUED.</summary>
    Task OnNSetAsync(MppsNotification notification, CancellationToken cancellationToken);
}

/// <summary>One accepted N-CREATE or N-SET.</summary>
/// <param name="Association">Who sent it.</param>
/// <param name="SopInstanceUid">The performed procedure step's SOP Instance UID.</param>
/// <param name="Status">Its status after this message.</param>
/// <param name="Attributes">All its attributes after this message, in UTF-8 (ISO_IR 192) whatever the SCU sent.</param>
/// <param name="Changes">What this message carried (the N-CREATE attribute list or the N-SET modification list), as received.</param>
public sealed record MppsNotification(AssociationInfo Association, string SopInstanceUid, string Status, DicomDataset Attributes, DicomDataset Changes);
