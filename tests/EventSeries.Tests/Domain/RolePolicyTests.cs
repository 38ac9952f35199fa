namespace EventSeries.Tests.Domain;

public sealed class RolePolicyTests
{
    [Fact]
    public void Allows_IsMonotonicInTheRoleHierarchy()
    {
        foreach (var permission in Enum.GetValues<Permission>())
        {
            var allowed = Enum.GetValues<Role>().Order().Select(r => RolePolicy.Allows(r, permission)).ToList();
            // Once a role holds a permission, every higher role holds it too.
            Assert.Equal(allowed.OrderBy(a => a).ToList(), allowed);
            Assert.True(RolePolicy.Allows(Role.Owner, permission));
        }
    }

    [Theory]
    [InlineData(Role.Viewer, Permission.EditSeries, false)]
    [InlineData(Role.Member, Permission.EditSeries, false)]
    [InlineData(Role.Manager, Permission.EditSeries, true)]
    [InlineData(Role.Manager, Permission.DeleteEvents, false)]
    [InlineData(Role.Admin, Permission.DeleteEvents, true)]
    [InlineData(Role.Admin, Permission.ManageOwners, false)]
    [InlineData(Role.Admin, Permission.DeleteOrganization, false)]
    [InlineData(Role.Viewer, Permission.View, true)]
    public void Allows_FollowsTheSeedHierarchy(Role role, Permission permission, bool allowed) =>
        Assert.Equal(allowed, RolePolicy.Allows(role, permission));

    [Fact]
    public void Authorize_OutsideTheOrganizationIsNotFound_InsideWithTooLowARoleIsForbidden()
    {
        var org = Guid.NewGuid();
        var viewer = new Caller(Guid.NewGuid(), "v", ImmutableDictionary<Guid, Role>.Empty.Add(org, Role.Viewer));
        Assert.Equal(DomainErrorKind.NotFound, Assert.Throws<DomainException>(() => viewer.Authorize(Guid.NewGuid(), Permission.View, "Series")).Kind);
        Assert.Equal(DomainErrorKind.Forbidden, Assert.Throws<DomainException>(() => viewer.Authorize(org, Permission.EditSeries, "Series")).Kind);
        viewer.Authorize(org, Permission.View, "Series");
    }
}
