using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using EquipmentIoT.Cloud.Storage;
using NodaTime;

namespace EquipmentIoT.Cloud.Api.Auth;

/// <summary>
/// Remembers successful token validations for a few seconds, so that a burst of requests (a dashboard
/// loading) costs one store lookup. Keys are SHA-256 hashes, never the token text; failures are not
/// cached (a flood of bad tokens must not fill memory). A revocation through this instance takes effect at
/// once (<see cref="Forget"/>); one made elsewhere within <see cref="Lifetime"/>.
/// </summary>
public sealed class ApiTokenCache(IApiTokenStore store, IClock clock)
{
    /// <summary>How long a validation is trusted.</summary>
    public static readonly Duration Lifetime = Duration.FromSeconds(5);

    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (ApiTokenRecord Record, Instant Until)> _entries = new(StringComparer.Ordinal);

    /// <summary>The live token's record, or null.</summary>
    public async Task<ApiTokenRecord?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var now = clock.GetCurrentInstant();
        var key = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        if (_entries.TryGetValue(key, out var hit) && now < hit.Until) return hit.Record;

        var record = await store.ValidateAsync(token, now, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            _entries.TryRemove(key, out _);
            return null;
        }
        if (_entries.Count >= MaxEntries) _entries.Clear();
        var until = now + Lifetime;
        if (record.Expires is { } expires && expires < until) until = expires;
        _entries[key] = (record, until);
        return record;
    }

    /// <summary>Drops cached validations of a token (after it was revoked).</summary>
    public void Forget(long tokenId)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.Record.Id == tokenId) _entries.TryRemove(key, out _);
        }
    }
}
