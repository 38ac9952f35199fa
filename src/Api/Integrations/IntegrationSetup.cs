using EventSeries.Persistence.Secrets;
using System.Threading.RateLimiting;
using EventSeries.Api.Endpoints;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EventSeries.Api.Integrations;

/// <summary>Registers <see cref="IntegrationOptions"/> (validated on start), the secret protector, the receiver and its rate limit.</summary>
public static class IntegrationSetup
{
    public static IServiceCollection AddEventSeriesIntegrations(this IServiceCollection services)
    {
        services.AddOptions<IntegrationOptions>()
            .BindConfiguration(IntegrationOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<SecretProtector>();
        services.TryAddSingleton<WebhookEvents>();
        services.TryAddSingleton<WebhookReceiver>();
        services.TryAddSingleton<DeliveryCleanup>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryCleanup>());
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(WebhookEndpoints.RatePolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Request.RouteValues["organizationId"]?.ToString() ?? "",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = http.RequestServices.GetRequiredService<IOptions<IntegrationOptions>>().Value.PermitsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                }));
            limiter.OnRejected = async (context, token) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests, Title = "Too many deliveries.",
                        Detail = "This organization's integrations sent more deliveries this minute than are accepted; retry later.",
                        Extensions = { ["code"] = "rate_limited" },
                    },
                });
            };
        });
        return services;
    }
}
