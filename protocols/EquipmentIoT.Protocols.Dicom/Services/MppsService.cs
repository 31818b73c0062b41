using EquipmentIoT.Protocols.Dicom.Association;
using EquipmentIoT.Protocols.Dicom.Data;
using EquipmentIoT.Protocols.Dicom.Dimse;

namespace EquipmentIoT.Protocols.Dicom.Services;

/// <summary>Settings of the <see cref="MppsService"/>.</summary>
public sealed record MppsServiceOptions
{
    /// <summary>Most performed procedure steps held (oldest evicted beyond).</summary>
    public int MaxInstances { get; init; } = 1000;

    /// <summary>A step not updated for this long is forgotten.</summary>
    public TimeSpan InstanceTimeToLive { get; init; } = TimeSpan.FromHours(24);
}

/// <summary>
/// The Modality Performed Procedure Step SOP Class SCP (PS3.4 Annex F.7): N-CREATE and N-SET with the
/// state rules of F.7.2 and PS3.7 §10.1, then the <see cref="IMppsProvider"/>.
/// <list type="bullet">
/// <item>N-CREATE: the attributes PS3.4 Table F.7.2-1 makes Type 1 for N-CREATE must be present (0120
/// missing attribute, 0121 missing attribute value), the status must be IN PROGRESS (0106 invalid attribute
/// value), the SOP Instance UID must be new (0111 duplicate SOP instance); the SCP assigns a UID when the
/// SCU gives none (PS3.7 §10.1.5.1.2).</item>
/// <item>N-SET: the instance must exist (0112 no such SOP instance) and not be COMPLETED or DISCONTINUED
/// (0110 processing failure, Error ID A710, Table F.7.2-2); a status must be a defined term (0106); a final
/// status needs the end date and time (0120/0121).</item>
/// </list>
/// </summary>
public sealed class MppsService(IMppsProvider provider, MppsServiceOptions options, TimeProvider time) : IDicomService
{
    /// <summary>Error ID of "Performed Procedure Step Object may no longer be updated" (PS3.4 Table F.7.2-2).</summary>
    public const ushort MayNoLongerBeUpdatedErrorId = 0xA710;

    /// <summary>Error Comment of that failure (PS3.4 Table F.7.2-2).</summary>
    public const string MayNoLongerBeUpdatedComment = "Performed Procedure Step Object may no longer be updated";

    // PS3.4 Table F.7.2-1: Type 1 for the SCU in N-CREATE (F.7.2.1.2 makes the SCP check them).
    private static readonly DicomTag[] RequiredOnCreate =
    [
        DicomTags.ScheduledStepAttributesSequence, DicomTags.PerformedProcedureStepID, DicomTags.PerformedStationAETitle,
        DicomTags.PerformedProcedureStepStartDate, DicomTags.PerformedProcedureStepStartTime, DicomTags.PerformedProcedureStepStatus,
        DicomTags.Modality,
    ];

    // Final-state requirements (Table F.7.2-1 column "Final State"): needed once COMPLETED or DISCONTINUED.
    private static readonly DicomTag[] RequiredWhenFinal = [DicomTags.PerformedProcedureStepEndDate, DicomTags.PerformedProcedureStepEndTime];

    private readonly MppsInstanceTable _table = new(options.MaxInstances, options.InstanceTimeToLive, time);

    /// <inheritdoc/>
    public string SopClassUid => DicomUids.ModalityPerformedProcedureStep;

    /// <summary>The steps held.</summary>
    public MppsInstanceTable Instances => _table;

    /// <inheritdoc/>
    public Task<DimseResponse> HandleAsync(AssociationInfo association, DimseRequest request, CancellationToken cancellationToken) => request switch
    {
        NCreateRequest create => CreateAsync(association, create, cancellationToken),
        NSetRequest set => SetAsync(association, set, cancellationToken),
        _ => Task.FromResult(DimseResponses.For(request, DimseStatus.UnrecognizedOperation)),
    };

    private async Task<DimseResponse> CreateAsync(AssociationInfo association, NCreateRequest request, CancellationToken cancellationToken)
    {
        if (request.AffectedSopClassUid != SopClassUid) return Fail(request, DimseStatus.NoSuchSopClass, "not the MPPS SOP class");
        var uid = request.AffectedSopInstanceUid ?? DicomUids.NewUid();
        if (!DicomUids.IsValid(uid)) return Fail(request, DimseStatus.InvalidObjectInstance, "Affected SOP Instance UID is not a valid UID");
        var dataset = request.Dataset;
        if (dataset is null) return Fail(request, DimseStatus.MissingAttribute, "N-CREATE without an attribute list");
        foreach (var tag in RequiredOnCreate)
        {
            if (Missing(dataset, tag, out var status)) return Fail(request, status, $"{Keyword(tag)} is required", tag);
        }

        var ppsStatus = dataset.GetString(DicomTags.PerformedProcedureStepStatus)!;
        if (ppsStatus != PerformedProcedureStepStatus.InProgress)
            return Fail(request, DimseStatus.InvalidAttributeValue, $"status must be IN PROGRESS on N-CREATE, not '{Clip(ppsStatus)}'", DicomTags.PerformedProcedureStepStatus);

        var attributes = dataset.Transcode(DicomCharacterSet.Utf8);
        if (!_table.TryAdd(uid, ppsStatus, attributes)) return Fail(request, DimseStatus.DuplicateSopInstance, "this SOP Instance UID exists already");
        await provider.OnNCreateAsync(new MppsNotification(association, uid, ppsStatus, attributes, dataset), cancellationToken).ConfigureAwait(false);
        return new NCreateResponse(request.MessageId, DimseStatus.Success, SopClassUid, uid);
    }

    private async Task<DimseResponse> SetAsync(AssociationInfo association, NSetRequest request, CancellationToken cancellationToken)
    {
        if (request.RequestedSopClassUid != SopClassUid) return Fail(request, DimseStatus.NoSuchSopClass, "not the MPPS SOP class");
        var uid = request.RequestedSopInstanceUid;
        if (!_table.TryGet(uid, out var current, out var stored)) return Fail(request, DimseStatus.NoSuchSopInstance, "no such performed procedure step");
        if (PerformedProcedureStepStatus.IsFinal(current))
            return DimseResponses.For(request, DimseStatus.ProcessingFailure, MayNoLongerBeUpdatedComment) with { ErrorId = MayNoLongerBeUpdatedErrorId };

        var changes = request.Dataset ?? new DicomDataset();
        var status = current;
        if (changes.Contains(DicomTags.PerformedProcedureStepStatus))
        {
            status = changes.GetString(DicomTags.PerformedProcedureStepStatus) ?? "";
            if (!PerformedProcedureStepStatus.IsDefined(status))
                return Fail(request, DimseStatus.InvalidAttributeValue, $"'{Clip(status)}' is not IN PROGRESS, COMPLETED or DISCONTINUED", DicomTags.PerformedProcedureStepStatus);
        }

        var merged = Merge(stored, changes.Transcode(DicomCharacterSet.Utf8));
        if (PerformedProcedureStepStatus.IsFinal(status))
        {
            foreach (var tag in RequiredWhenFinal)
            {
                if (Missing(merged, tag, out var missing)) return Fail(request, missing, $"{Keyword(tag)} is required to set {status}", tag);
            }
        }

        if (!_table.TryUpdate(uid, stored, status, merged)) return Fail(request, DimseStatus.ProcessingFailure, "the step was updated concurrently; send the N-SET again");
        await provider.OnNSetAsync(new MppsNotification(association, uid, status, merged, changes), cancellationToken).ConfigureAwait(false);
        return new NSetResponse(request.MessageId, DimseStatus.Success, SopClassUid, uid);
    }

    // N-SET replaces whole attributes, sequences included (PS3.7 §10.1.3.1.3).
    private static DicomDataset Merge(DicomDataset stored, DicomDataset changes)
    {
        var merged = new DicomDataset(DicomCharacterSet.Utf8);
        foreach (var element in stored) merged.Add(element);
        foreach (var element in changes) merged.Add(element);
        return merged;
    }

    private static bool Missing(DicomDataset dataset, DicomTag tag, out DimseStatus status)
    {
        var element = dataset.Find(tag);
        status = element is null ? DimseStatus.MissingAttribute : DimseStatus.MissingAttributeValue;
        if (element is null) return true;
        return element.VR == DicomVR.SQ ? element.Items.Count == 0 : string.IsNullOrEmpty(dataset.GetString(tag)) && element.Value.IsEmpty;
    }

    private static DimseResponse Fail(DimseRequest request, DimseStatus status, string comment, DicomTag? offending = null) =>
        DimseResponses.For(request, status, comment) with { OffendingElement = offending };

    private static string Keyword(DicomTag tag) => DicomDictionary.Find(tag)?.Keyword ?? tag.ToString();

    private static string Clip(string text) => text.Length > 16 ? text[..16] : text;
}
