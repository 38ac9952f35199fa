using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace EventSeries.Api.Exports;

/// <summary>Exports (section <c>EventSeries:Exports</c>).</summary>
public sealed class ExportOptions
{
    public const string Section = "EventSeries:Exports";

    /// <summary>
    /// Exports running at once on one API process (default 8). Each holds a database connection for
    /// as long as its client reads, so without a bound a few slow downloads could take the pool the
    /// scans need.
    /// </summary>
    [Range(1, 1000)]
    public int MaxConcurrent { get; set; } = 8;
}

/// <summary>
/// The process's export slots: one is taken before an export's query opens and given back when its
/// response ends; with none free the export is refused 503 with Retry-After at once (no queue: a
/// download that waits in a queue holds its client for nothing).
/// </summary>
public sealed class ExportSlots(IOptions<ExportOptions> options) : IDisposable
{
    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions { PermitLimit = options.Value.MaxConcurrent, QueueLimit = 0 });

    /// <summary>Takes a slot for the rest of the request, or throws 503.</summary>
    public void Take(HttpContext http)
    {
        var lease = _limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw DomainException.Unavailable("Too many exports are running on this server; retry in a moment.");
        }

        http.Response.RegisterForDispose(lease);
    }

    public void Dispose() => _limiter.Dispose();
}
