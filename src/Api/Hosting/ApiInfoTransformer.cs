using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace EventSeries.Api.Hosting;

/// <summary>
/// Names the OpenAPI document after the API rather than the hosting assembly (which would read
/// "EventSeries.Silo" or "EventSeries.Api" depending on the process serving it).
/// </summary>
internal sealed class ApiInfoTransformer : IOpenApiDocumentTransformer
{
    public const string Title = "EventSeries API";

    /// <summary>The contract's version: raise it when the API changes in a way clients notice.</summary>
    public const string Version = "1.0";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info ??= new OpenApiInfo();
        document.Info.Title = Title;
        document.Info.Version = Version;
        document.Info.Description = "Access control and check-in for multi-day events. Every /api call needs `Authorization: Bearer <token>`.";
        return Task.CompletedTask;
    }
}
