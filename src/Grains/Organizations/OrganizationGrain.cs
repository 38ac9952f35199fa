using System.Net.Mail;
using EventSeries.Domain.Validation;
using EventSeries.Organizations;
using EventSeries.Persistence.Audit;
using EventSeries.Persistence.Stores;
using Orleans.Runtime;

namespace EventSeries.Grains.Organizations;

/// <summary>
/// One organization: its members in memory, and the rules about who may add whom and who may hold
/// which token. Checked here, in the single writer, so two admins acting at once cannot race.
/// </summary>
[GrainType("organization")]
public sealed class OrganizationGrain(OrganizationStore store, DomainTime time) : Grain, IOrganizationGrain
{
    private OrganizationStore.OrganizationRow? _organization;
    private ImmutableArray<MemberView> _members = [];

    private Guid Id => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _organization = await store.FindAsync(Id);
        if (_organization is not null)
        {
            _members = await store.GetMembersAsync(Id);
        }
    }

    public async Task<OrganizationView> CreateAsync(Caller caller, string name)
    {
        if (!caller.HasPersonalToken)
        {
            // The new organization would be out of the token's reach at once, and a token someone
            // else minted must not act for its person beyond the organization that minted it.
            throw DomainException.Forbidden(
                "personal_token_required",
                "This token is bound to one organization; creating an organization needs a personal token.");
        }

        if (_organization is not null)
        {
            throw DomainException.Conflict("organization_exists", "An organization with this id already exists.");
        }

        var errors = new FieldErrors();
        errors.RequireText("name", name, 200);
        errors.ThrowIfAny();
        var now = time.Now();
        await store.CreateAsync(Id, name, caller.UserId, now, Audit(caller, now, "organization.create", "organization", Id, null, new { name }));
        _organization = new OrganizationStore.OrganizationRow { Id = Id, Name = name, CreatedAt = now.UtcDateTime };
        _members = await store.GetMembersAsync(Id);
        return new OrganizationView(Id, name, Role.Owner, now);
    }

    public Task<OrganizationView> GetAsync(Caller caller)
    {
        var organization = Visible(caller, Permission.View);
        return Task.FromResult(new OrganizationView(Id, organization.Name, caller.RoleIn(Id), DateTime.SpecifyKind(organization.CreatedAt, DateTimeKind.Utc)));
    }

    public async Task<MemberView> AddMemberAsync(Caller caller, NewMember member)
    {
        Visible(caller, member.Role == Role.Owner ? Permission.ManageOwners : Permission.ManageMembers);
        var errors = new FieldErrors();
        errors.RequireText("displayName", member.DisplayName, 200);
        if (member.Email is not null && (member.Email.Length > 320 || !MailAddress.TryCreate(member.Email, out _)))
        {
            errors.Add("email", "Must be an e-mail address.");
        }

        if (!Enum.IsDefined(member.Role))
        {
            errors.Add("role", "Unknown role.");
        }

        errors.ThrowIfAny();
        if (member.Email is not null && _members.Any(m => string.Equals(m.Email, member.Email, StringComparison.OrdinalIgnoreCase)))
        {
            // Only this organization's members are compared, so the answer says nothing about others.
            throw DomainException.Conflict("email_taken", "A member of this organization already has this e-mail address.");
        }

        var userId = Guid.CreateVersion7();
        var now = time.Now();
        var view = new MemberView(userId, member.DisplayName, member.Email, member.Role, now);
        await store.AddMemberAsync(Id, userId, member, now, Audit(caller, now, "member.add", "member", userId, null, view));
        _members = _members.Add(view);
        return view;
    }

    public Task<ImmutableArray<MemberView>> GetMembersAsync(Caller caller)
    {
        Visible(caller, Permission.View);
        return Task.FromResult(_members);
    }

    public async Task<IssuedToken> IssueTokenAsync(Caller caller, Guid userId, TokenRequest request)
    {
        var member = MemberFor(caller, userId);
        var errors = new FieldErrors();
        errors.LimitText("name", request.Name, 200);
        var now = time.Now();
        if (request.ExpiresAt is { } expires && expires <= now)
        {
            errors.Add("expiresAt", "Must be in the future.");
        }

        errors.ThrowIfAny();
        var secret = TokenSecret.Generate();
        var token = new TokenView(Guid.CreateVersion7(), member.UserId, request.Name, now, request.ExpiresAt, null)
        {
            // Personal only when a person mints for themself with a personal token; anything else
            // carries only this organization's membership, whoever holds it.
            OrganizationId = member.UserId == caller.UserId && caller.HasPersonalToken ? null : Id,
        };
        await store.InsertTokenAsync(token, TokenSecret.Hash(secret), caller.UserId, Audit(caller, now, "token.issue", "token", token.Id, null, token));
        return new IssuedToken(token, secret);
    }

    public async Task<ImmutableArray<TokenView>> GetTokensAsync(Caller caller, Guid userId)
    {
        var member = MemberFor(caller, userId);
        return await store.GetTokensAsync(member.UserId, Id, includePersonal: OwnPersonal(caller, member.UserId));
    }

    public async Task<TokenView> RevokeTokenAsync(Caller caller, Guid tokenId)
    {
        Visible(caller, Permission.View);
        var token = await store.FindTokenAsync(tokenId);
        var reachable = token is not null && _members.Any(m => m.UserId == token.UserId) &&
            (token.OrganizationId == Id || (token.OrganizationId is null && OwnPersonal(caller, token.UserId)));
        if (!reachable)
        {
            throw DomainException.NotFound("Token");
        }

        MemberFor(caller, token!.UserId);
        var now = time.Now();
        var revoked = token with { RevokedAt = token.RevokedAt ?? now };
        await store.RevokeTokenAsync(token, now, Audit(caller, now, "token.revoke", "token", tokenId, token, revoked));
        return revoked;
    }

    public async Task<MemberView> ChangeRoleAsync(Caller caller, Guid userId, Role role)
    {
        if (!Enum.IsDefined(role))
        {
            throw DomainException.Invalid("role", "Unknown role.");
        }

        var member = MemberFor(caller, userId, mustManage: true);
        if (role == Role.Owner)
        {
            caller.Authorize(Id, Permission.ManageOwners, "Organization");
        }

        if (member.Role == role)
        {
            return member;
        }

        EnsureAnotherOwnerRemains(member);
        var changed = member with { Role = role };
        await store.ChangeRoleAsync(Id, userId, role, Audit(caller, time.Now(), "member.role", "member", userId, new { role = member.Role }, new { role }));
        _members = _members.Replace(member, changed);
        return changed;
    }

    public async Task<MemberView> RemoveMemberAsync(Caller caller, Guid userId)
    {
        var member = MemberFor(caller, userId, mustManage: true);
        EnsureAnotherOwnerRemains(member);
        await store.RemoveMemberAsync(Id, userId, Audit(caller, time.Now(), "member.remove", "member", userId, member, null));
        _members = _members.Remove(member);
        return member;
    }

    public async Task<ImmutableArray<Guid>> DeleteAsync(Caller caller)
    {
        var organization = Visible(caller, Permission.DeleteOrganization);
        await store.DeleteAsync(Id, Audit(caller, time.Now(), "organization.delete", "organization", Id, new { organization.Name, members = _members.Length }, null));
        var members = _members.Select(m => m.UserId).ToImmutableArray();
        _organization = null;
        _members = [];
        DeactivateOnIdle();
        return members;
    }

    /// <summary>
    /// Personal tokens reach beyond this organization, so through it only their person sees and
    /// revokes them, and only with a personal token (a bound token's holder may be someone else).
    /// </summary>
    private static bool OwnPersonal(Caller caller, Guid userId) => caller.UserId == userId && caller.HasPersonalToken;

    /// <summary>An organization never loses its last owner: nobody could manage owners any more.</summary>
    private void EnsureAnotherOwnerRemains(MemberView member)
    {
        if (member.Role == Role.Owner && _members.Count(m => m.Role == Role.Owner) == 1)
        {
            throw DomainException.Conflict("last_owner", "This is the organization's only owner; make another member owner first.");
        }
    }

    private AuditEntry Audit(Caller caller, DateTimeOffset now, string action, string targetType, Guid targetId, object? before, object? after) =>
        AuditEntry.By(caller, Id, now, action, targetType, targetId, before, after);

    /// <summary>
    /// The member whose tokens the caller wants to manage: anyone may manage their own; admins
    /// those of members below owner; only owners those of owners.
    /// </summary>
    private MemberView MemberFor(Caller caller, Guid userId, bool mustManage = false)
    {
        Visible(caller, mustManage ? Permission.ManageMembers : Permission.View);
        var member = _members.FirstOrDefault(m => m.UserId == userId) ?? throw DomainException.NotFound("Member");
        if (mustManage || member.UserId != caller.UserId)
        {
            caller.Authorize(Id, member.Role == Role.Owner ? Permission.ManageOwners : Permission.ManageMembers, "Member");
        }

        return member;
    }

    private OrganizationStore.OrganizationRow Visible(Caller caller, Permission permission)
    {
        var organization = _organization ?? throw DomainException.NotFound("Organization");
        caller.Authorize(Id, permission, "Organization");
        return organization;
    }
}
