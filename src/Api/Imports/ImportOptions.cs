namespace EventSeries.Api.Imports;

/// <summary>Limits of one import (<c>EventSeries:Imports</c>).</summary>
public sealed class ImportOptions
{
    public const string Section = "EventSeries:Imports";

    /// <summary>The largest file accepted (413 beyond): 1,000,000 wristbands with holders are about 90 MiB.</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>The most rows in one file (413 beyond).</summary>
    public long MaxRows { get; set; } = 2_000_000;
}
