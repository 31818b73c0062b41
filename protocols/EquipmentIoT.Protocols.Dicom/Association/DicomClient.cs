using System.Net.Sockets;
using EquipmentIoT.Protocols.Dicom.Data;
using EquipmentIoT.Protocols.Dicom.Dimse;
using EquipmentIoT.Protocols.Dicom.Pdu;

namespace EquipmentIoT.Protocols.Dicom.Association;

/// <summary>Settings of a <see cref="DicomClient"/> (the association requestor).</summary>
public sealed record DicomClientOptions
{
    /// <summary>Our AE title.</summary>
    public required string CallingAeTitle { get; init; }

    /// <summary>The peer's AE title.</summary>
    public required string CalledAeTitle { get; init; }

    /// <summary>ARTIM (PS3.8 §9.1.5): how long to wait for A-ASSOCIATE-AC/RJ and for A-RELEASE-RP.</summary>
    public TimeSpan ArtimTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for a DIMSE response.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The maximum length received we announce.</summary>
    public uint MaxPduLength { get; init; } = PduLimits.DefaultMaxPDataLength;

    /// <summary>Transfer syntaxes proposed for every context, in order of preference.</summary>
    public IReadOnlyList<string> TransferSyntaxes { get; init; } = [DicomUids.ExplicitVRLittleEndian, DicomUids.ImplicitVRLittleEndian];
}

/// <summary>The acceptor rejected the association (A-ASSOCIATE-RJ).</summary>
public sealed class DicomAssociationRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DicomAssociationRejectedException(AssociateRejectPdu reject)
        : base($"association rejected: result {reject?.Result}, source {reject?.Source}, reason {reject?.Reason}")
    {
        Reject = reject ?? throw new ArgumentNullException(nameof(reject));
    }

    /// <summary>Creates the exception.</summary>
    public DicomAssociationRejectedException() : this(new AssociateRejectPdu(AssociateRejectResult.Permanent, AssociateRejectSource.ServiceUser, 1))
    {
    }

    /// <summary>Creates the exception.</summary>
    public DicomAssociationRejectedException(string message) : base(message)
    {
        Reject = new AssociateRejectPdu(AssociateRejectResult.Permanent, AssociateRejectSource.ServiceUser, 1);
    }

    /// <summary>Creates the exception.</summary>
    public DicomAssociationRejectedException(string message, Exception inner) : base(message, inner)
    {
        Reject = new AssociateRejectPdu(AssociateRejectResult.Permanent, AssociateRejectSource.ServiceUser, 1);
    }

    /// <summary>The rejection as received.</summary>
    public AssociateRejectPdu Reject { get; }
}

/// <summary>
/// An association requestor (SCU): connects, negotiates one presentation context per abstract syntax,
/// sends one request at a time and waits for its response (message ids checked), releases. Used by the
/// equipment simulator and the tests; states follow PS3.8 §9.2 (Sta4, Sta5, Sta6, Sta7).
/// </summary>
public sealed class DicomClient : IAsyncDisposable
{
    private readonly DicomConnection _connection;
    private readonly DicomClientOptions _options;
    private ushort _nextMessageId;

    private DicomClient(DicomConnection connection, DicomClientOptions options, AssociationInfo association)
    {
        _connection = connection;
        _options = options;
        Association = association;
        State = AssociationState.Established;
    }

    /// <summary>What was negotiated.</summary>
    public AssociationInfo Association { get; }

    /// <summary>Where the association is in the state machine.</summary>
    public AssociationState State { get; private set; }

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/> and negotiates the association.</summary>
    /// <exception cref="DicomAssociationRejectedException">The acceptor rejected it.</exception>
    /// <exception cref="DicomCommunicationException">The connection failed or timed out.</exception>
    /// <exception cref="DicomProtocolException">The acceptor answered with something else than AC or RJ.</exception>
    public static async Task<DicomClient> ConnectAsync(string host, int port, DicomClientOptions options, IReadOnlyList<string> abstractSyntaxes,
        TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(abstractSyntaxes);
        ArgumentNullException.ThrowIfNull(time);
        if (abstractSyntaxes.Count is 0 or > 128) throw new ArgumentException("propose 1-128 abstract syntaxes", nameof(abstractSyntaxes));
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        DicomConnection? connection = null;
        try
        {
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connect.CancelAfter(options.ArtimTimeout); // Sta4
                await socket.ConnectAsync(host, port, connect.Token).ConfigureAwait(false);
            }

            connection = new DicomConnection(new NetworkStream(socket, ownsSocket: true), time);
            var proposals = abstractSyntaxes.Select((a, i) => new PresentationContextProposal((byte)(2 * i + 1), a, options.TransferSyntaxes)).ToList();
            await connection.SendAsync(new AssociateRequestPdu(options.CalledAeTitle, options.CallingAeTitle, DicomUids.ApplicationContext, proposals,
                new UserInformation(options.MaxPduLength, DicomUids.ImplementationClass, DicomUids.ImplementationVersion)), cancellationToken).ConfigureAwait(false);

            // Sta5: awaiting A-ASSOCIATE-AC or -RJ, ARTIM-bounded.
            var pdu = await connection.ReadPduAsync(new PduLimits(options.MaxPduLength, PduLimits.DefaultMaxAssociateLength), options.ArtimTimeout, cancellationToken).ConfigureAwait(false);
            switch (pdu)
            {
                case AssociateAcceptPdu accept:
                    var contexts = new Dictionary<byte, PresentationContext>();
                    foreach (var result in accept.PresentationContexts.Where(r => r.Result == PresentationContextResultCode.Acceptance))
                    {
                        var proposal = proposals.FirstOrDefault(p => p.Id == result.Id)
                            ?? throw DicomProtocolException.Field("A-ASSOCIATE-AC", "Presentation-context-ID", 0, $"{result.Id} was not proposed");
                        contexts[result.Id] = new PresentationContext(result.Id, proposal.AbstractSyntax, result.TransferSyntax!);
                    }

                    var info = new AssociationInfo(options.CallingAeTitle, options.CalledAeTitle, contexts, accept.UserInformation.MaxLength,
                        accept.UserInformation.ImplementationClassUid, accept.UserInformation.ImplementationVersionName) { RemoteEndPoint = $"{host}:{port}" };
                    var client = new DicomClient(connection, options, info);
                    connection = null;
                    return client;
                case AssociateRejectPdu reject:
                    throw new DicomAssociationRejectedException(reject);
                case null:
                    throw new DicomCommunicationException("the acceptor closed the connection during association");
                default:
                    throw DicomProtocolException.Field(DicomPdu.Name(pdu.Type), "PDU-type", 0, "unexpected answer to A-ASSOCIATE-RQ (Sta5)");
            }
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new DicomCommunicationException($"association with {host}:{port} failed: {e.Message}", e);
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
            else if (socket.Connected is false) socket.Dispose();
        }
    }

    /// <summary>C-ECHO (Verification).</summary>
    public async Task<CEchoResponse> EchoAsync(CancellationToken cancellationToken) =>
        (CEchoResponse)await SendAsync(DicomUids.Verification, new CEchoRequest(NextMessageId()), cancellationToken).ConfigureAwait(false);

    /// <summary>N-CREATE of <paramref name="sopClassUid"/> with an attribute list.</summary>
    public async Task<NCreateResponse> CreateAsync(string sopClassUid, string? sopInstanceUid, DicomDataset attributes, CancellationToken cancellationToken) =>
        (NCreateResponse)await SendAsync(sopClassUid, new NCreateRequest(NextMessageId(), sopClassUid, sopInstanceUid) { Dataset = attributes }, cancellationToken).ConfigureAwait(false);

    /// <summary>N-SET of an instance with a modification list.</summary>
    public async Task<NSetResponse> SetAsync(string sopClassUid, string sopInstanceUid, DicomDataset modifications, CancellationToken cancellationToken) =>
        (NSetResponse)await SendAsync(sopClassUid, new NSetRequest(NextMessageId(), sopClassUid, sopInstanceUid) { Dataset = modifications }, cancellationToken).ConfigureAwait(false);

    /// <summary>A-RELEASE-RQ, then waits (ARTIM-bounded) for A-RELEASE-RP and closes.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        EnsureEstablished();
        State = AssociationState.AwaitingReleaseResponse;
        await _connection.SendAsync(ReleaseRequestPdu.Instance, cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var pdu = await _connection.ReadPduAsync(Limits, _options.ArtimTimeout, cancellationToken).ConfigureAwait(false);
                if (pdu is ReleaseResponsePdu or AbortPdu or null) break;
                // P-DATA may still arrive in Sta7 (PS3.8 Table 9-10); nothing is pending here, so it is dropped.
            }
        }
        catch (TimeoutException e)
        {
            throw new DicomCommunicationException("no A-RELEASE-RP within the ARTIM timeout", e);
        }
        finally
        {
            State = AssociationState.Idle;
        }
    }

    /// <summary>Aborts (A-ABORT, service user) if still established, and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (State == AssociationState.Established)
        {
            try
            {
                using var bounded = new CancellationTokenSource(_options.ArtimTimeout);
                await _connection.SendAsync(new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified), bounded.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // Closing anyway.
            }
        }

        State = AssociationState.Idle;
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private PduLimits Limits => new(_options.MaxPduLength, PduLimits.DefaultMaxAssociateLength);

    private ushort NextMessageId() => ++_nextMessageId == 0 ? ++_nextMessageId : _nextMessageId;

    private void EnsureEstablished()
    {
        if (State != AssociationState.Established) throw new InvalidOperationException($"the association is {State}");
    }

    private async Task<DimseResponse> SendAsync(string abstractSyntax, DimseRequest request, CancellationToken cancellationToken)
    {
        EnsureEstablished();
        var context = Association.FindContext(abstractSyntax)
            ?? throw new InvalidOperationException($"the acceptor did not accept a presentation context for {abstractSyntax}");
        try
        {
            await _connection.SendMessageAsync(request, context, Association.PeerMaxLength, cancellationToken).ConfigureAwait(false);
            var assembler = new DimseAssembler(Association, 16 * 1024 * 1024);
            while (true)
            {
                var pdu = await _connection.ReadPduAsync(Limits, _options.ResponseTimeout, cancellationToken).ConfigureAwait(false);
                switch (pdu)
                {
                    case PDataTfPdu data:
                        foreach (var pdv in data.Values)
                        {
                            if (assembler.Add(pdv) is not { } message) continue;
                            var dataset = message.DatasetBytes is null ? null : DatasetReader.Read(message.DatasetBytes, message.Context.IsExplicitVR);
                            if (DimseCommandCodec.ToMessage(message.Command, dataset) is DimseResponse response && response.MessageIdBeingRespondedTo == request.MessageId)
                                return response;
                            throw DicomProtocolException.Field("P-DATA-TF", "Message ID Being Responded To (0000,0120)", 0, $"not a response to message {request.MessageId}");
                        }

                        break;
                    case AbortPdu abort:
                        State = AssociationState.Idle;
                        throw new DicomCommunicationException($"the acceptor aborted the association (source {abort.Source}, reason {abort.Reason})");
                    case null:
                        State = AssociationState.Idle;
                        throw new DicomCommunicationException("the acceptor closed the connection");
                    default:
                        throw DicomProtocolException.Field(DicomPdu.Name(pdu.Type), "PDU-type", 0, "unexpected while awaiting a response (Sta6)");
                }
            }
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            State = AssociationState.Idle;
            throw new DicomCommunicationException($"request {request.MessageId} failed: {e.Message}", e);
        }
    }
}
