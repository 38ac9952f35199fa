using EventSeries.Events;

namespace EventSeries.Api.Contracts;

/// <summary>Body of POST /api/events. <c>organizationId</c> may be left out by members of one organization.</summary>
public sealed class CreateEventRequest
{
    public Guid? OrganizationId { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    /// <summary>IANA time zone id; UTC when left out.</summary>
    public string? TimeZone { get; init; }

    /// <summary>Initial wristband categories.</summary>
    public List<CategoryRequest>? Categories { get; init; }

    public EventSpec ToSpec() => new(Name ?? "", Description, TimeZone ?? "UTC");
}

/// <summary>Body of PUT /api/events/{id}.</summary>
public sealed class UpdateEventRequest
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    public string? TimeZone { get; init; }

    public EventSpec ToSpec() => new(Name ?? "", Description, TimeZone ?? "UTC");
}

/// <summary>A wristband category: a short slug and an optional description.</summary>
public sealed class CategoryRequest
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    public CategoryView ToView() => new(Name ?? "", Description);
}

/// <summary>Body of POST /api/events/{id}/gates and PUT /api/gates/{id}.</summary>
public sealed class GateRequest
{
    public string? Name { get; init; }

    public GateKind? Kind { get; init; }

    /// <summary>Open when left out.</summary>
    public GateStatus? Status { get; init; }

    /// <summary>Categories this gate admits; all when empty or left out.</summary>
    public List<string>? AllowedCategories { get; init; }

    public GateSpec ToSpec()
    {
        var errors = new RequestErrors();
        var spec = new GateSpec(errors.Text(Name, "name"), errors.Value(Kind, "kind"), Status ?? GateStatus.Open, [.. AllowedCategories ?? []]);
        errors.ThrowIfAny();
        return spec;
    }
}
