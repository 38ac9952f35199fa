using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventSeries.Api.Feed;

/// <summary>Registers the live feed: <see cref="FeedOptions"/> (validated on start), the hub and the connector.</summary>
public static class FeedSetup
{
    public static IServiceCollection AddEventSeriesFeed(this IServiceCollection services)
    {
        services.AddOptions<FeedOptions>()
            .BindConfiguration(FeedOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FeedHub>();
        services.AddHostedService(sp => sp.GetRequiredService<FeedHub>());
        services.TryAddSingleton<FeedConnector>();
        return services;
    }
}
