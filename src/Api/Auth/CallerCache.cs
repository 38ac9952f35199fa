using System.Collections.Concurrent;
using EventSeries.Persistence.Notifications;
using EventSeries.Persistence.Stores;

namespace EventSeries.Api.Auth;

/// <summary>
/// Remembers who a token belongs to for at most <see cref="Lifetime"/> (never past the token's own
/// expiry), so a scanner sending thousands of scans costs one token lookup a second. Every write
/// that changes someone's access (role, membership, token, device, a new organization) notifies
/// <see cref="ChangeNotifications.CallersChannel"/> in its transaction, and every API instance
/// forgets that person's entries when PostgreSQL delivers it (milliseconds after the commit; at
/// once on the instance that wrote). <see cref="Lifetime"/> bounds staleness if a notification is
/// lost, and an interrupted feed forgets everything. Entries are keyed by the token's hash;
/// secrets are not kept.
/// </summary>
public sealed class CallerCache(OrganizationStore organizations, ScannerDeviceStore devices, DomainTime time) : IChangeSubscriber
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<string, (Caller? Caller, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);

    /// <summary>The token's caller, or null when the token is unknown, revoked or expired.</summary>
    public ValueTask<Caller?> FindAsync(string secret) => FindAsync(TokenKey.Of(secret));

    /// <summary>The token's caller, or null when the token is unknown, revoked or expired.</summary>
    public async ValueTask<Caller?> FindAsync(TokenKey token)
    {
        var (key, hash) = (token.Key, token.Hash);
        var now = time.Now();
        if (_entries.TryGetValue(key, out var entry) && entry.Until > now)
        {
            return entry.Caller;
        }

        var found = await organizations.FindCallerAsync(hash, now);
        if (found is null && await devices.FindCallerAsync(hash) is { } device)
        {
            found = (device, null);
        }

        if (_entries.Count > SweepAbove)
        {
            foreach (var stale in _entries.Where(e => e.Value.Until <= now))
            {
                _entries.TryRemove(stale);
            }
        }

        var until = now + Lifetime;
        if (found?.ExpiresAt is { } expires && expires < until)
        {
            until = expires;
        }

        _entries[key] = (found?.Caller, until);
        return found?.Caller;
    }

    public string Channel => ChangeNotifications.CallersChannel;

    public void OnChanged(string payload)
    {
        if (ChangeNotifications.ParseId(payload) is { } userId)
        {
            EvictUser(userId);
        }
    }

    public void OnGap() => _entries.Clear();

    /// <summary>Forgets every cached token of a user or device (after one was revoked or their roles changed).</summary>
    public void EvictUser(Guid userId)
    {
        foreach (var entry in _entries.Where(e => e.Value.Caller?.UserId == userId))
        {
            _entries.TryRemove(entry);
        }
    }
}
