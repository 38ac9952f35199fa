using System.ComponentModel.DataAnnotations;

namespace EventSeries.Api.Scans;

/// <summary>
/// How long a scan may take and how it is retried inside the API (section <c>EventSeries:Scans</c>).
/// A scan that carries a scanId and meets a transient fault (a silo killed, frozen or overloaded,
/// the database away) is sent to its grain again with the same scanId, so the gate sees a slower
/// answer rather than an error; the grain answers a repeated scanId with its first verdict.
/// </summary>
public sealed class ScanOptions : IValidatableObject
{
    public const string Section = "EventSeries:Scans";

    /// <summary>The longest accepted deadline: beyond it every handheld has long given up.</summary>
    public static readonly TimeSpan MaxDeadline = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest a scan is answered in, retries and every grain call included; when it passes the
    /// scanner gets 503 with Retry-After. Default 2.5 seconds: handheld scanners give up at 3 s and
    /// go offline, so a gate gets its verdict, or a clear "retry with the same scanId", before that.
    /// </summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(2.5);

    /// <summary>
    /// The pause before the first retry. Each further pause doubles, up to <see cref="MaxRetryDelay"/>,
    /// and is shortened by a random fraction of up to half, so gates that failed together do not all
    /// retry together. Default 50 milliseconds.
    /// </summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest pause between two attempts. Default 500 milliseconds.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Deadline <= TimeSpan.Zero || Deadline > MaxDeadline)
        {
            yield return new ValidationResult(
                $"{Section}:Deadline must be longer than zero and at most {MaxDeadline.TotalSeconds:0} seconds (it is {Deadline}).", [nameof(Deadline)]);
        }

        if (FirstRetryDelay <= TimeSpan.Zero || FirstRetryDelay >= Deadline)
        {
            yield return new ValidationResult(
                $"{Section}:FirstRetryDelay must be longer than zero and shorter than {Section}:Deadline (it is {FirstRetryDelay}).", [nameof(FirstRetryDelay)]);
        }

        if (MaxRetryDelay < FirstRetryDelay)
        {
            yield return new ValidationResult(
                $"{Section}:MaxRetryDelay must be at least {Section}:FirstRetryDelay (it is {MaxRetryDelay}).", [nameof(MaxRetryDelay)]);
        }
    }
}
