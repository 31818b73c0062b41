using EquipmentIoT.Protocols.Dicom.Association;
using EquipmentIoT.Protocols.Dicom.Dimse;

namespace EquipmentIoT.Protocols.Dicom.Services;

/// <summary>A service class provider for one SOP class, called by the <see cref="DicomServer"/> for each request on a context of that class.</summary>
public interface IDicomService
{
    /// <summary>The SOP class (abstract syntax) served.</summary>
    string SopClassUid { get; }

    /// <summary>Answers one request. Exceptions become a processing-failure response.</summary>
    Task<DimseResponse> HandleAsync(AssociationInfo association, DimseRequest request, CancellationToken cancellationToken);
}

/// <summary>Builds the response that matches a request, for failures found outside the service.</summary>
public static class DimseResponses
{
    /// <summary>A response of the request's type with <paramref name="status"/> and an optional error comment.</summary>
    public static DimseResponse For(DimseRequest request, DimseStatus status, string? errorComment = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        DimseResponse response = request switch
        {
            CEchoRequest echo => new CEchoResponse(echo.MessageId, status, echo.AffectedSopClassUid),
            NCreateRequest create => new NCreateResponse(create.MessageId, status, create.AffectedSopClassUid, create.AffectedSopInstanceUid),
            NSetRequest set => new NSetResponse(set.MessageId, status, set.RequestedSopClassUid, set.RequestedSopInstanceUid),
            UnrecognizedRequest other => new UnrecognizedResponse(other.MessageId, other.RawCommandField, other.SopClassUid),
            _ => throw new ArgumentException($"unknown request {request.GetType().Name}", nameof(request)),
        };
        return response with { ErrorComment = errorComment };
    }
}
