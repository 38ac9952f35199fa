using EventSeries.Persistence.Stores;

namespace EventSeries.Tests.Infrastructure;

/// <summary>An organization created through the real bootstrap, with its owner as a grain caller and token.</summary>
public sealed record Tenant(Guid OrganizationId, Guid OwnerId, string Token, Caller Owner)
{
    public static async Task<Tenant> BootstrapAsync(string connectionString, string name = "Acme Events")
    {
        var created = await Bootstrapper.BootstrapAsync(connectionString, name, $"Owner of {name}", null, DomainTime.System);
        var owner = new Caller(created.UserId, $"Owner of {name}", ImmutableDictionary<Guid, Role>.Empty.Add(created.OrganizationId, Role.Owner));
        return new Tenant(created.OrganizationId, created.UserId, created.Secret, owner);
    }

    /// <summary>The same person seen with another role, to test the role matrix at grain level.</summary>
    public Caller As(Role role) => Owner with { Memberships = ImmutableDictionary<Guid, Role>.Empty.Add(OrganizationId, role) };
}
