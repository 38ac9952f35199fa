using System.ComponentModel.DataAnnotations;

namespace EventSeries.Grains.Lifecycle;

/// <summary>How the automatic lifecycle sweeps (configuration section <c>Lifecycle</c>).</summary>
public sealed class LifecycleOptions : IValidatableObject
{
    public const string Section = "Lifecycle";

    /// <summary>
    /// How often each silo looks for series whose check-in window opened or closed, on the domain
    /// clock. Default 15 seconds: an automatic transition happens at most this late.
    /// </summary>
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Due series read per query. Default 500.</summary>
    [Range(1, 100_000, ErrorMessage = Section + ":BatchSize must be from {1} to {2}.")]
    public int BatchSize { get; set; } = 500;

    /// <summary>Series grains asked at once. Default 16.</summary>
    [Range(1, 1_000, ErrorMessage = Section + ":Parallelism must be from {1} to {2}.")]
    public int Parallelism { get; set; } = 16;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SweepPeriod <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"{Section}:SweepPeriod must be longer than zero (it is {SweepPeriod}).", [nameof(SweepPeriod)]);
        }
    }
}
