using EquipmentIoT.Protocols.Dicom;
using EquipmentIoT.Protocols.Dicom.Association;
using EquipmentIoT.Protocols.Dicom.Data;
using EquipmentIoT.Protocols.Dicom.Dimse;
using EquipmentIoT.Protocols.Dicom.Pdu;
using EquipmentIoT.Protocols.Telemetry.Model;

namespace EquipmentIoT.IntegrationTests.Dicom;

/// <summary>Our SCU (the simulator's) against our SCP (the agent's listener) over loopback TCP.</summary>
public sealed class DicomScuScpTests
{
    private static DicomClientOptions Options(string calling = "CT01", uint maxPdu = 16384) =>
        new() { CallingAeTitle = calling, CalledAeTitle = MppsListenerFixture.AeTitle, MaxPduLength = maxPdu };

    [Fact]
    public async Task Client_EchoCreateSetRelease_EmitsExamEvents()
    {
        await using var listener = await MppsListenerFixture.StartAsync();
        await using var client = await ConnectAsync(listener, Options(), DicomUids.Verification, DicomUids.ModalityPerformedProcedureStep);
        Assert.Equal(AssociationState.Established, client.State);
        Assert.True((await client.EchoAsync(CancellationToken.None)).Status.IsSuccess);

        const string uid = "1.2.826.0.1.3680043.2.1143.5.1";
        var created = await client.CreateAsync(DicomUids.ModalityPerformedProcedureStep, uid, Step("CT01"), CancellationToken.None);
        Assert.Equal(DimseStatus.Success, created.Status);
        Assert.Equal(uid, created.AffectedSopInstanceUid);
        // 1,500 referenced images: about 150 KB, cut into PDUs within the listener's 64 KiB both ways.
        var set = await client.SetAsync(DicomUids.ModalityPerformedProcedureStep, uid, Completed(1500), CancellationToken.None);
        Assert.Equal(DimseStatus.Success, set.Status);
        await client.ReleaseAsync(CancellationToken.None);
        Assert.Equal(AssociationState.Idle, client.State);

        var completed = await listener.Sink.WaitForAsync(EventTypes.ExamCompleted);
        Assert.Equal("ct-1", completed.Device);
        Assert.Equal(1500, completed.Data["NumberOfImages"].AsNumber);
    }

    [Fact]
    public async Task Client_SetUnknownInstance_GetsNoSuchSopInstance()
    {
        await using var listener = await MppsListenerFixture.StartAsync();
        await using var client = await ConnectAsync(listener, Options(), DicomUids.ModalityPerformedProcedureStep);
        var set = await client.SetAsync(DicomUids.ModalityPerformedProcedureStep, "1.2.3.404", Completed(1), CancellationToken.None);
        Assert.Equal(DimseStatus.NoSuchSopInstance, set.Status);
    }

    [Fact]
    public async Task Client_UnsupportedAbstractSyntax_IsRefusedWithReason3()
    {
        await using var listener = await MppsListenerFixture.StartAsync();
        await using var client = await ConnectAsync(listener, Options(), DicomUids.Verification, "1.2.840.10008.5.1.4.1.1.2");
        Assert.Single(client.Association.Contexts);
        Assert.NotNull(client.Association.FindContext(DicomUids.Verification));
    }

    [Fact]
    public async Task Client_NoAcceptableTransferSyntax_ContextRefused()
    {
        await using var listener = await MppsListenerFixture.StartAsync();
        var options = Options() with { TransferSyntaxes = ["1.2.840.10008.1.2.2"] }; // Explicit VR Big Endian (retired)
        await using var client = await ConnectAsync(listener, options, DicomUids.Verification);
        Assert.Empty(client.Association.Contexts);
    }

    [Fact]
    public async Task Client_BeyondMaxAssociations_IsRejectedTransientLocalLimit()
    {
        await using var listener = await MppsListenerFixture.StartAsync(o => o.MaxAssociations = 2);
        await using var first = await ConnectAsync(listener, Options(), DicomUids.Verification);
        await using var second = await ConnectAsync(listener, Options(), DicomUids.Verification);
        var e = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() => ConnectAsync(listener, Options(), DicomUids.Verification));
        Assert.Equal(AssociateRejectResult.Transient, e.Reject.Result);
        Assert.Equal(AssociateRejectSource.ServiceProviderPresentation, e.Reject.Source);
        Assert.Equal(AssociateRejectPdu.PresentationLocalLimitExceeded, e.Reject.Reason);
        // The released association gives its slot back although `first` keeps its socket open (Sta13 on the server).
        await first.ReleaseAsync(CancellationToken.None);
        await Testing.Wait.UntilAsync(() => listener.Adapter.ServerStatistics!.Active < 2, TimeSpan.FromSeconds(10), "a slot to free up");
        await using var third = await ConnectAsync(listener, Options(), DicomUids.Verification);
        Assert.True((await third.EchoAsync(CancellationToken.None)).Status.IsSuccess);
    }

    [Fact]
    public async Task Client_StationMappedDevice_UsesStationAeTitle()
    {
        await using var listener = await MppsListenerFixture.StartAsync(o => o.Devices.Add(new() { DeviceId = "ct-2", CallingAeTitle = "CT01", StationAeTitle = "CT02" }));
        await using var client = await ConnectAsync(listener, Options(), DicomUids.ModalityPerformedProcedureStep);
        await client.CreateAsync(DicomUids.ModalityPerformedProcedureStep, "1.2.3.77", Step("CT02"), CancellationToken.None);
        var started = await listener.Sink.WaitForAsync(EventTypes.ExamStarted);
        Assert.Equal("ct-2", started.Device);
    }

    [Fact]
    public async Task Client_UnmappedStation_ReportedOnListenerDeviceAndDegraded()
    {
        await using var listener = await MppsListenerFixture.StartAsync(o => o.AcceptAnyCallingAeTitle = true);
        await using var client = await ConnectAsync(listener, Options(calling: "XRAY9"), DicomUids.ModalityPerformedProcedureStep);
        await client.CreateAsync(DicomUids.ModalityPerformedProcedureStep, "1.2.3.78", Step("XRAY9"), CancellationToken.None);
        var started = await listener.Sink.WaitForAsync(EventTypes.ExamStarted);
        Assert.Equal("mpps", started.Device);
        Assert.Equal(EdgeAgent.Collection.AdapterState.Degraded, listener.Adapter.Status.State);
        Assert.Contains("XRAY9", listener.Adapter.Status.LastError, StringComparison.Ordinal);
        Assert.Equal(1, listener.Adapter.Counts.Unmapped);
    }

    private static Task<DicomClient> ConnectAsync(MppsListenerFixture listener, DicomClientOptions options, params string[] abstractSyntaxes) =>
        DicomClient.ConnectAsync("127.0.0.1", listener.Port, options, abstractSyntaxes, TimeProvider.System, CancellationToken.None);

    internal static DicomDataset Step(string station)
    {
        var dataset = new DicomDataset(DicomCharacterSet.Utf8).AddString(DicomTags.SpecificCharacterSet, "ISO_IR 192")
            .AddString(DicomTags.PatientName, "Doe^Jane")
            .AddString(DicomTags.Modality, "CT")
            .AddString(DicomTags.PerformedProcedureStepID, "PPS9")
            .AddString(DicomTags.PerformedStationAETitle, station)
            .AddString(DicomTags.PerformedProcedureStepStartDate, "20261202")
            .AddString(DicomTags.PerformedProcedureStepStartTime, "090000")
            .AddString(DicomTags.PerformedProcedureStepStatus, "IN PROGRESS");
        dataset.AddSequence(DicomTags.ScheduledStepAttributesSequence, new DicomDataset(DicomCharacterSet.Utf8).AddString(DicomTags.StudyInstanceUID, "1.2.3.9"));
        return dataset;
    }

    internal static DicomDataset Completed(int images)
    {
        var dataset = new DicomDataset().AddString(DicomTags.PerformedProcedureStepStatus, "COMPLETED")
            .AddString(DicomTags.PerformedProcedureStepEndDate, "20261202")
            .AddString(DicomTags.PerformedProcedureStepEndTime, "093000");
        var refs = Enumerable.Range(1, images).Select(i => new DicomDataset()
            .AddString(DicomTags.ReferencedSOPClassUID, "1.2.840.10008.5.1.4.1.1.2")
            .AddString(DicomTags.ReferencedSOPInstanceUID, $"1.2.826.0.1.3680043.2.1143.5.1.1.{i}")).ToArray();
        dataset.AddSequence(DicomTags.PerformedSeriesSequence, new DicomDataset()
            .AddString(DicomTags.SeriesInstanceUID, "1.2.826.0.1.3680043.2.1143.5.1.1").AddSequence(DicomTags.ReferencedImageSequence, refs));
        return dataset;
    }
}
