using EquipmentIoT.Protocols.Dicom;
using EquipmentIoT.Protocols.Dicom.Association;
using EquipmentIoT.Protocols.Dicom.Data;
using EquipmentIoT.Protocols.Dicom.Dimse;
using EquipmentIoT.Protocols.Dicom.Services;

namespace EquipmentIoT.Protocols.Tests.Dicom;

public sealed class MppsServiceTests
{
    private const string Uid = "1.2.826.0.1.3680043.2.1143.1";
    private static readonly AssociationInfo Association = new("CT01", "EQIOT", new Dictionary<byte, PresentationContext>(), 16384, "1.2.3", null);

    private readonly RecordingProvider _provider = new();
    private readonly ManualTime _time = new();
    private readonly MppsService _service;

    public MppsServiceTests()
    {
        _service = new MppsService(_provider, new MppsServiceOptions { MaxInstances = 3, InstanceTimeToLive = TimeSpan.FromHours(1) }, _time);
    }

    [Fact]
    public async Task NCreate_InProgress_SucceedsAndNotifies()
    {
        var response = await CreateAsync(Uid, InProgress());
        Assert.Equal(DimseStatus.Success, response.Status);
        Assert.Equal(Uid, ((NCreateResponse)response).AffectedSopInstanceUid);
        var created = Assert.Single(_provider.Created);
        Assert.Equal("IN PROGRESS", created.Status);
        Assert.Equal("张^三", created.Attributes.GetString(DicomTags.PatientName));
    }

    [Fact]
    public async Task NCreate_WithoutInstanceUid_AssignsOne()
    {
        var response = (NCreateResponse)await CreateAsync(null, InProgress());
        Assert.Equal(DimseStatus.Success, response.Status);
        Assert.StartsWith("2.25.", response.AffectedSopInstanceUid, StringComparison.Ordinal);
        Assert.True(DicomUids.IsValid(response.AffectedSopInstanceUid));
    }

    [Theory]
    [InlineData("COMPLETED")]
    [InlineData("DISCONTINUED")]
    [InlineData("STARTED")]
    public async Task NCreate_StatusOtherThanInProgress_IsInvalidAttributeValue(string status)
    {
        var response = await CreateAsync(Uid, InProgress().AddString(DicomTags.PerformedProcedureStepStatus, status));
        Assert.Equal(DimseStatus.InvalidAttributeValue, response.Status);
        Assert.Equal(DicomTags.PerformedProcedureStepStatus, response.OffendingElement);
        Assert.Empty(_provider.Created);
    }

    [Fact]
    public async Task NCreate_MissingRequiredAttribute_IsMissingAttribute()
    {
        var dataset = InProgress();
        dataset.Remove(DicomTags.PerformedProcedureStepStartDate);
        var response = await CreateAsync(Uid, dataset);
        Assert.Equal(DimseStatus.MissingAttribute, response.Status);
        Assert.Equal(DicomTags.PerformedProcedureStepStartDate, response.OffendingElement);
    }

    [Fact]
    public async Task NCreate_EmptyRequiredAttribute_IsMissingAttributeValue()
    {
        var response = await CreateAsync(Uid, InProgress().AddString(DicomTags.Modality, ""));
        Assert.Equal(DimseStatus.MissingAttributeValue, response.Status);
    }

    [Fact]
    public async Task NCreate_SameInstanceTwice_IsDuplicateSopInstance()
    {
        await CreateAsync(Uid, InProgress());
        var response = await CreateAsync(Uid, InProgress());
        Assert.Equal(DimseStatus.DuplicateSopInstance, response.Status);
        Assert.Single(_provider.Created);
    }

    [Fact]
    public async Task NSet_UnknownInstance_IsNoSuchSopInstance()
    {
        var response = await SetAsync("1.2.3.999", Final("COMPLETED"));
        Assert.Equal(DimseStatus.NoSuchSopInstance, response.Status);
    }

    [Fact]
    public async Task NSet_Completed_MergesAndNotifies()
    {
        await CreateAsync(Uid, InProgress());
        var response = await SetAsync(Uid, Final("COMPLETED"));
        Assert.Equal(DimseStatus.Success, response.Status);
        var set = Assert.Single(_provider.Set);
        Assert.Equal("COMPLETED", set.Status);
        Assert.Equal("张^三", set.Attributes.GetString(DicomTags.PatientName));
        Assert.Equal("101500", set.Attributes.GetString(DicomTags.PerformedProcedureStepEndTime));
    }

    [Theory]
    [InlineData("COMPLETED")]
    [InlineData("DISCONTINUED")]
    public async Task NSet_AfterFinalState_IsProcessingFailureA710(string final)
    {
        await CreateAsync(Uid, InProgress());
        await SetAsync(Uid, Final(final));
        var response = await SetAsync(Uid, Final("COMPLETED"));
        Assert.Equal(DimseStatus.ProcessingFailure, response.Status);
        Assert.Equal((ushort)0xA710, response.ErrorId);
        Assert.Equal(MppsService.MayNoLongerBeUpdatedComment, response.ErrorComment);
        Assert.Single(_provider.Set);
    }

    [Fact]
    public async Task NSet_UndefinedStatus_IsInvalidAttributeValue()
    {
        await CreateAsync(Uid, InProgress());
        var response = await SetAsync(Uid, new DicomDataset().AddString(DicomTags.PerformedProcedureStepStatus, "DONE"));
        Assert.Equal(DimseStatus.InvalidAttributeValue, response.Status);
        Assert.Equal(DicomTags.PerformedProcedureStepStatus, response.OffendingElement);
    }

    [Fact]
    public async Task NSet_CompletedWithoutEndTime_IsMissingAttribute()
    {
        await CreateAsync(Uid, InProgress());
        var response = await SetAsync(Uid, new DicomDataset().AddString(DicomTags.PerformedProcedureStepStatus, "COMPLETED"));
        Assert.Equal(DimseStatus.MissingAttribute, response.Status);
    }

    [Fact]
    public async Task NSet_InProgressUpdate_KeepsTheStepOpen()
    {
        await CreateAsync(Uid, InProgress());
        Assert.Equal(DimseStatus.Success, (await SetAsync(Uid, new DicomDataset().AddString(DicomTags.PerformedProcedureStepDescription, "more"))).Status);
        Assert.Equal(DimseStatus.Success, (await SetAsync(Uid, Final("COMPLETED"))).Status);
        Assert.Equal(["IN PROGRESS", "COMPLETED"], _provider.Set.Select(s => s.Status));
    }

    [Fact]
    public async Task Table_BeyondTimeToLiveOrCapacity_ForgetsSteps()
    {
        await CreateAsync(Uid, InProgress());
        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(DimseStatus.NoSuchSopInstance, (await SetAsync(Uid, Final("COMPLETED"))).Status);

        for (var i = 1; i <= 4; i++) await CreateAsync($"1.2.3.{i}", InProgress());
        Assert.Equal(3, _service.Instances.Count);
        Assert.Equal(1, _service.Instances.Evicted);
        Assert.Equal(DimseStatus.NoSuchSopInstance, (await SetAsync("1.2.3.1", Final("COMPLETED"))).Status);
    }

    [Fact]
    public async Task Provider_Throws_ExceptionReachesTheServer()
    {
        var failing = new MppsService(new RecordingProvider { Fail = true }, new MppsServiceOptions(), _time);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.HandleAsync(Association,
            new NCreateRequest(1, DicomUids.ModalityPerformedProcedureStep, Uid) { Dataset = InProgress() }, CancellationToken.None));
    }

    internal static DicomDataset InProgress()
    {
        var dataset = new DicomDataset(DicomCharacterSet.Gb18030).AddString(DicomTags.SpecificCharacterSet, "GB18030")
            .AddString(DicomTags.PatientName, "张^三")
            .AddString(DicomTags.PatientID, "MRN0001")
            .AddString(DicomTags.Modality, "CT")
            .AddString(DicomTags.PerformedProcedureStepID, "PPS1")
            .AddString(DicomTags.PerformedStationAETitle, "CT01")
            .AddString(DicomTags.PerformedStationName, "CT Room 1")
            .AddString(DicomTags.PerformedProcedureStepStartDate, "20261202")
            .AddString(DicomTags.PerformedProcedureStepStartTime, "100000")
            .AddString(DicomTags.PerformedProcedureStepStatus, "IN PROGRESS")
            .AddString(DicomTags.PerformedProcedureStepDescription, "CT chest");
        dataset.AddSequence(DicomTags.ScheduledStepAttributesSequence, new DicomDataset(DicomCharacterSet.Gb18030)
            .AddString(DicomTags.StudyInstanceUID, "1.2.3.100").AddString(DicomTags.RequestedProcedureDescription, "胸部平扫"));
        return dataset;
    }

    internal static DicomDataset Final(string status)
    {
        var dataset = new DicomDataset().AddString(DicomTags.PerformedProcedureStepStatus, status)
            .AddString(DicomTags.PerformedProcedureStepEndDate, "20261202")
            .AddString(DicomTags.PerformedProcedureStepEndTime, "101500");
        var images = Enumerable.Range(1, 4).Select(i => new DicomDataset()
            .AddString(DicomTags.ReferencedSOPClassUID, "1.2.840.10008.5.1.4.1.1.2").AddString(DicomTags.ReferencedSOPInstanceUID, $"1.2.3.100.{i}")).ToArray();
        dataset.AddSequence(DicomTags.PerformedSeriesSequence, new DicomDataset()
            .AddString(DicomTags.SeriesInstanceUID, "1.2.3.100.1").AddString(DicomTags.ProtocolName, "Chest routine")
            .AddSequence(DicomTags.ReferencedImageSequence, images));
        return dataset;
    }

    private Task<DimseResponse> CreateAsync(string? uid, DicomDataset dataset) => _service.HandleAsync(Association,
        new NCreateRequest(1, DicomUids.ModalityPerformedProcedureStep, uid) { Dataset = dataset }, CancellationToken.None);

    private Task<DimseResponse> SetAsync(string uid, DicomDataset dataset) => _service.HandleAsync(Association,
        new NSetRequest(2, DicomUids.ModalityPerformedProcedureStep, uid) { Dataset = dataset }, CancellationToken.None);

    private sealed class RecordingProvider : IMppsProvider
    {
        public List<MppsNotification> Created { get; } = [];
        public List<MppsNotification> Set { get; } = [];
        public bool Fail { get; init; }

        public Task OnNCreateAsync(MppsNotification notification, CancellationToken cancellationToken)
        {
            if (Fail) throw new InvalidOperationException("provider failed");
            Created.Add(notification);
            return Task.CompletedTask;
        }

        public Task OnNSetAsync(MppsNotification notification, CancellationToken cancellationToken)
        {
            Set.Add(notification);
            return Task.CompletedTask;
        }
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
