using System.Collections.Concurrent;
using System.Net;

namespace EventSeries.Api.Auth;

/// <summary>
/// Limits failed authentications per client address, so tokens cannot be guessed: after
/// <see cref="MaxFailures"/> failures within <see cref="Window"/>, requests from that address
/// whose token is not known to be valid are refused with 429 without being looked up, until the
/// window ends. Tokens that authenticated from the address recently keep working, so a valid
/// scanner behind the same address as a guesser is not slowed.
/// A fixed window on <see cref="DomainTime"/> (rather than System.Threading.RateLimiting, whose
/// limiters run on the real clock) so tests move time instead of waiting.
/// </summary>
public sealed class AuthenticationThrottle(DomainTime time)
{
    /// <summary>Failures allowed per address and window.</summary>
    public const int MaxFailures = 20;

    /// <summary>The counting window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>How long a successful token stays trusted from its address while that address is blocked.</summary>
    public static readonly TimeSpan TrustedFor = TimeSpan.FromMinutes(30);

    private const int SweepAbove = 50_000;

    private readonly ConcurrentDictionary<IPAddress, Failures> _failures = new();
    private readonly ConcurrentDictionary<(IPAddress, string), DateTimeOffset> _trusted = new();

    /// <summary>
    /// Whether <paramref name="address"/> is blocked for a token with <paramref name="tokenKey"/>
    /// (a hash, never the secret); when it is, how long until it may try again.
    /// </summary>
    public bool IsBlocked(IPAddress? address, string tokenKey, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (address is null || !_failures.TryGetValue(address, out var failures))
        {
            return false;
        }

        var now = time.Now();
        var endsAt = failures.Start + Window;
        if (failures.Count < MaxFailures || endsAt <= now)
        {
            return false;
        }

        if (_trusted.TryGetValue((address, tokenKey), out var until) && until > now)
        {
            return false;
        }

        retryAfter = endsAt - now;
        return true;
    }

    /// <summary>Counts a failed authentication from <paramref name="address"/>.</summary>
    public void RecordFailure(IPAddress? address)
    {
        if (address is null)
        {
            return;
        }

        var now = time.Now();
        Sweep(now);
        _failures.AddOrUpdate(
            address,
            _ => new Failures(now, 1),
            (_, f) => f.Start + Window <= now ? new Failures(now, 1) : f with { Count = f.Count + 1 });
    }

    /// <summary>Remembers that a token authenticated from <paramref name="address"/>.</summary>
    public void RecordSuccess(IPAddress? address, string tokenKey)
    {
        if (address is null)
        {
            return;
        }

        // Refreshed only when half used up: scans authenticate thousands of times a second.
        var now = time.Now();
        if (!_trusted.TryGetValue((address, tokenKey), out var until) || until - now < TrustedFor / 2)
        {
            _trusted[(address, tokenKey)] = now + TrustedFor;
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        if (_failures.Count > SweepAbove)
        {
            foreach (var stale in _failures.Where(f => f.Value.Start + Window <= now))
            {
                _failures.TryRemove(stale);
            }
        }

        if (_trusted.Count > SweepAbove)
        {
            foreach (var stale in _trusted.Where(t => t.Value <= now))
            {
                _trusted.TryRemove(stale);
            }
        }
    }

    private sealed record Failures(DateTimeOffset Start, int Count);
}
