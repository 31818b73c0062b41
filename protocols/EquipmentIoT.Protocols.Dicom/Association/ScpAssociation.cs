using EquipmentIoT.Protocols.Dicom.Data;
using EquipmentIoT.Protocols.Dicom.Dimse;
using EquipmentIoT.Protocols.Dicom.Pdu;
using EquipmentIoT.Protocols.Dicom.Services;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Protocols.Dicom.Association;

/// <summary>
/// The acceptor's side of one association, following the PS3.8 §9.2 state machine (Table 9-10) for the
/// states an acceptor passes through: Sta2 (ARTIM running, awaiting A-ASSOCIATE-RQ), Sta3, Sta6 (data
/// transfer), Sta8 and Sta13. Any PDU not allowed in the current state, and any malformed PDU, ends in
/// A-ABORT (AA-1/AA-8); an ARTIM expiry closes the connection (AA-2).
/// </summary>
internal sealed partial class ScpAssociation(
    DicomServer server,
    DicomConnection connection,
    AssociationSlot slot,
    DicomServerOptions options,
    AssociationNegotiator negotiator,
    IReadOnlyDictionary<string, IDicomService> services,
    ILogger logger,
    string? remote)
{
    /// <summary>The state; entering Sta13 (awaiting the transport's close) or Sta1 ends the association and gives its slot back.</summary>
    public AssociationState State
    {
        get;
        private set
        {
            field = value;
            if (value is AssociationState.AwaitingTransportClose or AssociationState.Idle) slot.Release();
        }
    } = AssociationState.AwaitingAssociateRequest;

    public async Task RunAsync(bool overLimit, CancellationToken cancellationToken)
    {
        AssociationInfo? association;
        try
        {
            association = await EstablishAsync(overLimit, cancellationToken).ConfigureAwait(false);
            if (association is null) return;
            server.Record(AssociationOutcome.Accepted, null);
            LogAccepted(logger, association.CallingAeTitle, remote, association.Contexts.Count);
            await TransferAsync(association, cancellationToken).ConfigureAwait(false);
        }
        catch (DicomProtocolException e)
        {
            server.Record(AssociationOutcome.ProtocolError, e.Message);
            if (server.LogBudget.TryTake(out var suppressed)) LogProtocolError(logger, remote, State, e.Message, suppressed);
            await AbortAsync(e.AbortReason, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            server.Record(AssociationOutcome.Timeout, e.Message);
            if (server.LogBudget.TryTake(out var suppressed)) LogTimeout(logger, remote, State, e.Message, suppressed);
            // Sta2 ARTIM expiry: close the transport (AA-2). Sta6 idle: abort first.
            if (State == AssociationState.Established) await AbortAsync(AbortReason.NotSpecified, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            server.Record(AssociationOutcome.Aborted, e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The server is stopping: abort, but do not wait for the peer to close.
            await AbortAsync(AbortReason.NotSpecified, CancellationToken.None, awaitClose: false).ConfigureAwait(false);
        }

        State = AssociationState.Idle;
    }

    private async Task<AssociationInfo?> EstablishAsync(bool overLimit, CancellationToken cancellationToken)
    {
        // Sta2: the ARTIM timer bounds how long a connection may stay without an A-ASSOCIATE-RQ.
        var pdu = await connection.ReadPduAsync(options.PduLimits, options.ArtimTimeout, cancellationToken).ConfigureAwait(false);
        if (pdu is null) return null;
        if (pdu is not AssociateRequestPdu request)
            throw DicomProtocolException.Field(DicomPdu.Name(pdu.Type), "PDU-type", 0, "not allowed before A-ASSOCIATE-RQ (Sta2)", AbortReason.UnexpectedPdu);

        State = AssociationState.AwaitingLocalAssociateResponse;
        var result = overLimit
            ? new NegotiationResult(null, null, new AssociateRejectPdu(AssociateRejectResult.Transient, AssociateRejectSource.ServiceProviderPresentation, AssociateRejectPdu.PresentationLocalLimitExceeded))
            : negotiator.Negotiate(request);
        if (result.Reject is { } reject)
        {
            await connection.SendAsync(reject, cancellationToken).ConfigureAwait(false);
            server.Record(AssociationOutcome.Rejected, $"rejected {request.CallingAeTitle} -> {request.CalledAeTitle}: source {reject.Source}, reason {reject.Reason}");
            if (server.LogBudget.TryTake(out var suppressed)) LogRejected(logger, request.CallingAeTitle, request.CalledAeTitle, remote, reject.Source, reject.Reason, suppressed);
            await AwaitCloseAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }

        await connection.SendAsync(result.Accept!, cancellationToken).ConfigureAwait(false);
        State = AssociationState.Established;
        return result.Association! with { RemoteEndPoint = remote };
    }

    private async Task TransferAsync(AssociationInfo association, CancellationToken cancellationToken)
    {
        var assembler = new DimseAssembler(association, options.MaxDatasetLength);
        while (true)
        {
            var pdu = await connection.ReadPduAsync(options.PduLimits, options.IdleTimeout, cancellationToken).ConfigureAwait(false);
            switch (pdu)
            {
                case null:
                    // The peer closed without release or abort (AA-4 from our side): nothing to send.
                    server.Record(AssociationOutcome.Aborted, "the peer closed the connection without A-RELEASE");
                    return;
                case PDataTfPdu data:
                    foreach (var pdv in data.Values)
                    {
                        if (assembler.Add(pdv) is { } message) await DispatchAsync(association, message, cancellationToken).ConfigureAwait(false);
                    }

                    break;
                case ReleaseRequestPdu:
                    State = AssociationState.AwaitingLocalReleaseResponse;
                    await connection.SendAsync(ReleaseResponsePdu.Instance, cancellationToken).ConfigureAwait(false);
                    LogReleased(logger, association.CallingAeTitle, remote);
                    await AwaitCloseAsync(cancellationToken).ConfigureAwait(false);
                    return;
                case AbortPdu abort:
                    server.Record(AssociationOutcome.Aborted, $"the peer aborted (source {abort.Source}, reason {abort.Reason})");
                    State = AssociationState.Idle;
                    return;
                default:
                    throw DicomProtocolException.Field(DicomPdu.Name(pdu.Type), "PDU-type", 0, "not allowed on an established association (Sta6)", AbortReason.UnexpectedPdu);
            }
        }
    }

    private async Task DispatchAsync(AssociationInfo association, AssembledMessage message, CancellationToken cancellationToken)
    {
        DicomDataset? dataset = null;
        string? datasetProblem = null;
        if (message.DatasetBytes is { } bytes)
        {
            try
            {
                dataset = DatasetReader.Read(bytes, message.Context.IsExplicitVR, options.DatasetLimits);
            }
            catch (DicomProtocolException e)
            {
                datasetProblem = e.Message;
            }
        }

        var decoded = DimseCommandCodec.ToMessage(message.Command, dataset);
        if (decoded is not DimseRequest request)
            throw DicomProtocolException.Field("P-DATA-TF", "Command Field (0000,0100)", 0, $"{decoded.CommandField} is not a request", AbortReason.UnexpectedPduParameter);

        DimseResponse response;
        if (datasetProblem is not null)
        {
            if (server.LogBudget.TryTake(out var suppressed)) LogBadDataset(logger, remote, datasetProblem, suppressed);
            server.Record(AssociationOutcome.None, datasetProblem);
            response = DimseResponses.For(request, DimseStatus.ProcessingFailure, "data set could not be decoded");
        }
        else if (!services.TryGetValue(message.Context.AbstractSyntax, out var service))
        {
            response = DimseResponses.For(request, DimseStatus.UnrecognizedOperation);
        }
        else
        {
            try
            {
                response = await service.HandleAsync(association, request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogServiceFailed(logger, e);
                server.Record(AssociationOutcome.None, e.Message);
                response = DimseResponses.For(request, DimseStatus.ProcessingFailure, "the service failed");
            }
        }

        await connection.SendMessageAsync(response, message.Context, association.PeerMaxLength, cancellationToken).ConfigureAwait(false);
    }

    private async Task AbortAsync(AbortReason reason, CancellationToken cancellationToken, bool awaitClose = true)
    {
        // AA-1/AA-8: send A-ABORT, start ARTIM, Sta13 until the peer closes or ARTIM expires.
        State = AssociationState.AwaitingTransportClose;
        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(options.ArtimTimeout);
            await connection.SendAsync(new AbortPdu(AbortSource.ServiceProvider, reason), bounded.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            return; // the peer is gone already
        }

        if (awaitClose) await connection.DrainAsync(options.ArtimTimeout, options.MaxPduLength, cancellationToken).ConfigureAwait(false);
    }

    // Sta13: wait (ARTIM-bounded) for the peer to close, so that the last PDU is not cut off by our close.
    private async Task AwaitCloseAsync(CancellationToken cancellationToken)
    {
        State = AssociationState.AwaitingTransportClose;
        try
        {
            await connection.ReadPduAsync(options.PduLimits, options.ArtimTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or DicomProtocolException or IOException)
        {
            // Whatever arrives now is ignored (PS3.8 Table 9-10, Sta13); we close.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "DICOM: association from {CallingAe} ({Remote}) accepted with {Contexts} presentation contexts")]
    private static partial void LogAccepted(ILogger logger, string callingAe, string? remote, int contexts);

    [LoggerMessage(Level = LogLevel.Information, Message = "DICOM: association {CallingAe} -> {CalledAe} ({Remote}) rejected: source {Source}, reason {Reason} ({Suppressed} similar lines suppressed)")]
    private static partial void LogRejected(ILogger logger, string callingAe, string calledAe, string? remote, AssociateRejectSource source, byte reason, long suppressed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "DICOM: association from {CallingAe} ({Remote}) released")]
    private static partial void LogReleased(ILogger logger, string callingAe, string? remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DICOM: {Remote} broke the protocol in {State}, aborting: {Problem} ({Suppressed} similar lines suppressed)")]
    private static partial void LogProtocolError(ILogger logger, string? remote, AssociationState state, string problem, long suppressed);

    [LoggerMessage(Level = LogLevel.Information, Message = "DICOM: {Remote} timed out in {State}: {Problem} ({Suppressed} similar lines suppressed)")]
    private static partial void LogTimeout(ILogger logger, string? remote, AssociationState state, string problem, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DICOM: a data set from {Remote} could not be decoded: {Problem} ({Suppressed} similar lines suppressed)")]
    private static partial void LogBadDataset(ILogger logger, string? remote, string problem, long suppressed);

    [LoggerMessage(Level = LogLevel.Error, Message = "DICOM: a service failed; answered with processing failure")]
    private static partial void LogServiceFailed(ILogger logger, Exception exception);
}
