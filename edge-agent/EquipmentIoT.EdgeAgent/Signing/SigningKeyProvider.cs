using EquipmentIoT.EdgeAgent.Health;
using EquipmentIoT.Protocols.Telemetry.Jose;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.EdgeAgent.Signing;

/// <summary>
/// Loads the agent's signing key, and keeps trying when it cannot: a missing, unreadable or wrong key
/// file stops signing (batches wait in memory, events are kept, metrics beyond the pending bound are
/// counted as dropped) but never stops the agent; the file is read again every <see cref="RetryInterval"/>
/// so an engineer who fixes it does not have to restart anything.
/// </summary>
public sealed partial class SigningKeyProvider : IDisposable
{
    /// <summary>How often a key that failed to load is tried again.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(10);

    private readonly string _keyFile;
    private readonly TimeProvider _time;
    private readonly AgentCounters _counters;
    private readonly ILogger<SigningKeyProvider> _logger;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private JwsSigner? _signer;
    private string? _problem;

    /// <summary>Creates the provider; nothing is read until the first <see cref="GetAsync"/>.</summary>
    public SigningKeyProvider(string keyFile, TimeProvider time, AgentCounters counters, ILogger<SigningKeyProvider> logger)
    {
        _keyFile = keyFile;
        _time = time;
        _counters = counters;
        _logger = logger;
    }

    /// <summary>Why there is no key right now, or null when signing works.</summary>
    public string? Problem => _problem;

    /// <summary>The signer, waiting (and retrying the file) while the key cannot be loaded.</summary>
    public async ValueTask<JwsSigner> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Volatile.Read(ref _signer) is { } s) return s;
            // Both streams' sealers ask at once on a first start: one loads (or makes) the key, the other waits for it.
            await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_signer is { } other) return other;
                if (TryLoad(out var loaded))
                {
                    Volatile.Write(ref _signer, loaded);
                    return loaded;
                }
            }
            finally
            {
                _loading.Release();
            }

            await Task.Delay(RetryInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool TryLoad(out JwsSigner signer)
    {
        try
        {
            if (!File.Exists(_keyFile)) Enrol();
            signer = new JwsSigner(AgentKeys.LoadPrivateKey(_keyFile));
            if (_problem is not null) LogKeyRecovered(_logger, _keyFile);
            _problem = null;
            LogKeyLoaded(_logger, _keyFile, signer.Kid);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException or AgentKeyException
                                      or System.Security.Cryptography.CryptographicException)
        {
            var problem = $"signing key {_keyFile}: {e.Message}";
            if (problem != _problem) LogKeyProblem(_logger, problem, RetryInterval);
            _problem = problem;
            _counters.Error(_time, problem);
            signer = null!;
            return false;
        }
    }

    // First start without a key: make one, as `eqiot agent keygen` would, so the agent runs given only a
    // broker; the cloud quarantines its batches until the public key is registered.
    private void Enrol()
    {
        var (publicFile, _) = AgentEnrolment.CreateKeyPair(_keyFile, replace: false);
        LogKeyGenerated(_logger, _keyFile, publicFile);
    }

    /// <inheritdoc/>
    public void Dispose() => _loading.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "No signing key at {KeyFile}: generated one. Register {PublicKeyFile} in the cloud (eqiot cloud agents add) or its batches are quarantined")]
    private static partial void LogKeyGenerated(ILogger logger, string keyFile, string publicKeyFile);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing with key {KeyFile} (kid {Kid})")]
    private static partial void LogKeyLoaded(ILogger logger, string keyFile, string kid);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot sign: {Problem}. Collected data waits in memory; trying again every {Retry}")]
    private static partial void LogKeyProblem(ILogger logger, string problem, TimeSpan retry);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signing key {KeyFile} is readable again")]
    private static partial void LogKeyRecovered(ILogger logger, string keyFile);
}
