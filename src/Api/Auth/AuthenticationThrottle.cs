using System.Collections.Concurrent;
using System.Net;

namespace EventSeries.Api.Auth;

/// <summary>
/// Bounds what guessing tokens costs, without ever refusing a valid token. Per client address,
/// failures are counted in a fixed <see cref="Window"/>; past <see cref="MaxFailures"/> the address
/// is blocked until the window ends, which means:
/// <list type="bullet">
/// <item>a token that failed recently (from anywhere) is answered 429 from memory, no lookup;</item>
/// <item>a token that authenticated recently (from anywhere) is looked up as usual, unslowed;</item>
/// <item>any other token is still looked up, because it may be a new scanner's, but at most one
/// such lookup per blocked address runs at a time, so a flood from one address costs at most one
/// indexed query in flight; it answers 429 if it fails and is let in if it is valid.</item>
/// </list>
/// A valid token is therefore never refused: the worst a guesser sharing a venue's address can do
/// is make a new scanner's first request wait its turn. A fixed window on <see cref="DomainTime"/>
/// (rather than System.Threading.RateLimiting, whose limiters run on the real clock) so tests move
/// time instead of waiting.
/// </summary>
public sealed class AuthenticationThrottle(DomainTime time)
{
    /// <summary>Failures allowed per address and window.</summary>
    public const int MaxFailures = 20;

    /// <summary>The counting window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>How long a token that authenticated skips the one-at-a-time lookups of blocked addresses.</summary>
    public static readonly TimeSpan TrustedFor = TimeSpan.FromMinutes(30);

    /// <summary>How long a failed token is answered from memory. Tokens are random: a failed one never becomes valid.</summary>
    public static readonly TimeSpan FailedFor = TimeSpan.FromMinutes(10);

    // Past this many entries a map is swept (at most once a second); a full map of live failed
    // tokens stops growing: unseen garbage is then looked up, one at a time per blocked address.
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<IPAddress, Address> _addresses = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _trusted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _failed = new(StringComparer.Ordinal);
    private long _nextSweepTicks;

    /// <summary>Whether <paramref name="address"/> is over the limit; when it is, how long until the window ends.</summary>
    public bool IsBlocked(IPAddress? address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (address is null || !_addresses.TryGetValue(address, out var state))
        {
            return false;
        }

        var (start, count) = state.Read();
        var endsAt = start + Window;
        var now = time.Now();
        if (count < MaxFailures || endsAt <= now)
        {
            return false;
        }

        retryAfter = endsAt - now;
        return true;
    }

    /// <summary>Whether the token with <paramref name="tokenKey"/> (a hash, never the secret) failed recently: no need to look it up.</summary>
    public bool FailedRecently(string tokenKey) => _failed.TryGetValue(tokenKey, out var until) && until > time.Now();

    /// <summary>
    /// Waits until the token may be looked up: at once, unless the address is blocked and the token
    /// is not known to be valid; then one lookup at a time per address. Dispose the result after the lookup.
    /// </summary>
    public async ValueTask<IDisposable?> EnterLookupAsync(IPAddress? address, string tokenKey, CancellationToken cancellationToken)
    {
        if (address is null || !IsBlocked(address, out _)
            || (_trusted.TryGetValue(tokenKey, out var until) && until > time.Now())
            || !_addresses.TryGetValue(address, out var state))
        {
            return null;
        }

        await state.Lookups.WaitAsync(cancellationToken);
        return state;
    }

    /// <summary>Counts a failed authentication from <paramref name="address"/>, and remembers the token that failed (when there was one).</summary>
    public void RecordFailure(IPAddress? address, string? tokenKey)
    {
        var now = time.Now();
        Sweep(now);
        if (tokenKey is not null && _failed.Count < MaxEntries)
        {
            _failed[tokenKey] = now + FailedFor;
        }

        if (address is not null)
        {
            _addresses.GetOrAdd(address, _ => new Address()).Fail(now);
        }
    }

    /// <summary>Remembers that a token authenticated, so it is never made to wait behind guesses.</summary>
    public void RecordSuccess(string tokenKey)
    {
        // Refreshed only when half used up: scans authenticate thousands of times a second.
        var now = time.Now();
        if (!_trusted.TryGetValue(tokenKey, out var until) || until - now < TrustedFor / 2)
        {
            _trusted[tokenKey] = now + TrustedFor;
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        var next = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < next || Math.Max(_addresses.Count, Math.Max(_trusted.Count, _failed.Count)) <= MaxEntries / 2
            || Interlocked.CompareExchange(ref _nextSweepTicks, now.AddSeconds(1).UtcTicks, next) != next)
        {
            return;
        }

        foreach (var stale in _addresses.Where(a => a.Value.Read().Start + Window <= now))
        {
            _addresses.TryRemove(stale);
        }

        foreach (var map in new[] { _trusted, _failed })
        {
            foreach (var stale in map.Where(t => t.Value <= now))
            {
                map.TryRemove(stale);
            }
        }
    }

    /// <summary>One address: its failures in the current window, and the gate its blocked lookups pass one at a time.</summary>
    private sealed class Address : IDisposable
    {
        private readonly Lock _lock = new();
        private DateTimeOffset _start;
        private int _count;

        public SemaphoreSlim Lookups { get; } = new(1, 1);

        public (DateTimeOffset Start, int Count) Read()
        {
            lock (_lock)
            {
                return (_start, _count);
            }
        }

        public void Fail(DateTimeOffset now)
        {
            lock (_lock)
            {
                if (_start + Window <= now)
                {
                    (_start, _count) = (now, 0);
                }

                _count++;
            }
        }

        /// <summary>Ends this request's turn at the gate.</summary>
        public void Dispose() => Lookups.Release();
    }
}
