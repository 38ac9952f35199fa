using EventSeries.Api.Auth;
using EventSeries.Api.Contracts;
using EventSeries.Audit;
using EventSeries.Persistence.Audit;
using EventSeries.Persistence.Queries;

namespace EventSeries.Api.Endpoints;

/// <summary>The audit trail of administrative writes, for admins and owners.</summary>
public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", ListAsync).WithTags("Audit").WithName("ListAudit")
            .WithSummary("Administrative writes of one organization, newest first; filter by action and targetId; paged. " +
                         "organizationId may be left out when the caller belongs to one organization only.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Ok<Page<AuditRecord>>> ListAsync(
        Guid? organizationId, string? action, string? targetId, int? page, int? pageSize, HttpContext http, AuditTrail audit)
    {
        var caller = http.Caller();
        var paging = Paging.From(page, pageSize);
        var organization = organizationId
            ?? (caller.Memberships.Count == 1 ? caller.Memberships.Keys.Single() : throw DomainException.Invalid("organizationId", "Name the organization: you belong to several."));
        if (action is { Length: > 100 })
        {
            throw DomainException.Invalid("action", "At most 100 characters.");
        }

        if (targetId is { Length: > 100 })
        {
            throw DomainException.Invalid("targetId", "At most 100 characters.");
        }

        caller.Authorize(organization, Permission.ViewAudit, "Organization");
        return TypedResults.Ok(await audit.ListAsync(organization, action, targetId, paging));
    }
}
