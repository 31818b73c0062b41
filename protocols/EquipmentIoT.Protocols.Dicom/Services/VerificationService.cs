using EquipmentIoT.Protocols.Dicom.Association;
using EquipmentIoT.Protocols.Dicom.Dimse;

namespace EquipmentIoT.Protocols.Dicom.Services;

/// <summary>The Verification SOP Class SCP (PS3.4 Annex A): C-ECHO answered with success.</summary>
public sealed class VerificationService : IDicomService
{
    /// <inheritdoc/>
    public string SopClassUid => DicomUids.Verification;

    /// <inheritdoc/>
    public Task<DimseResponse> HandleAsync(AssociationInfo association, DimseRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(request is CEchoRequest
            ? DimseResponses.For(request, DimseStatus.Success)
            : DimseResponses.For(request, DimseStatus.UnrecognizedOperation));
}
