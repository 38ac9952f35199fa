using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace EventSeries.Api.Hosting;

/// <summary>
/// The cluster's names (section <c>Orleans</c>), shared by silos and clients: membership rows are
/// keyed by ClusterId, grain state and reminders by ServiceId, so both must match across every process.
/// </summary>
public sealed class ClusterIdentityOptions
{
    public const string Section = "Orleans";

    public const string DefaultName = "eventseries";

    /// <summary>Which cluster's membership rows this process joins or reads (<c>Orleans:ClusterId</c>). Default <c>eventseries</c>.</summary>
    [Required(ErrorMessage = Section + ":ClusterId must not be empty.")]
    public string ClusterId { get; set; } = DefaultName;

    /// <summary>Whose grain state and reminders these are (<c>Orleans:ServiceId</c>). Default <c>eventseries</c>.</summary>
    [Required(ErrorMessage = Section + ":ServiceId must not be empty.")]
    public string ServiceId { get; set; } = DefaultName;
}

/// <summary>Registers <see cref="ClusterIdentityOptions"/> and hands them to Orleans' <see cref="ClusterOptions"/>.</summary>
public static class ClusterIdentityExtensions
{
    public static IServiceCollection AddEventSeriesClusterIdentity(this IServiceCollection services)
    {
        services.AddOptions<ClusterIdentityOptions>()
            .BindConfiguration(ClusterIdentityOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<ClusterOptions>().Configure<IOptions<ClusterIdentityOptions>>((cluster, identity) =>
        {
            cluster.ClusterId = identity.Value.ClusterId;
            cluster.ServiceId = identity.Value.ServiceId;
        });
        return services;
    }
}
