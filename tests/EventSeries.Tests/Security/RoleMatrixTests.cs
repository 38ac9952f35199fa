using System.Net;
using System.Text.Json;
using EventSeries.Devices;
using EventSeries.Events;
using EventSeries.Organizations;
using EventSeries.Wristbands;

namespace EventSeries.Tests.Security;

/// <summary>
/// Walks the whole role matrix of docs/security.md: every endpoint, as every role and a scanner
/// device of the organization, and as every role and a device of another organization. A refused
/// cell must answer its status as problem details and change nothing in the database.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class RoleMatrixTests(ApiFixture fixture)
{
    private static readonly string[] PersonRoles = ["owner", "admin", "manager", "member", "viewer"];

    /// <summary>Webhook deliveries: authenticated by their signature, not by role (WebhookSecurityTests).</summary>
    private const string SignedPrefix = "/api/integrations/";

    [Fact]
    public async Task EveryEndpoint_AsEveryRole_OfThisAndAnotherOrganization_MatchesTheTableInDocsSecurity()
    {
        var rows = RoleMatrixRow.LoadTable();
        Assert.Equal([], rows.Select(r => r.Key).Where(k => !MatrixCases.All.ContainsKey(k)));
        Assert.Equal([], MatrixCases.All.Keys.Where(k => rows.All(r => r.Key != k)));
        await AssertTableListsEveryEndpointAsync(rows);

        var home = await OrganizationAsync("Matrix Home");
        var away = await OrganizationAsync("Matrix Away");
        var awayWorld = await MatrixWorld.CreateAsync(away.Clients["owner"], away.OrganizationId, fixture.Clock.GetUtcNow());
        using var awayDevice = fixture.Host.Client(awayWorld.Device.Token);
        var sharedWorld = await MatrixWorld.CreateAsync(home.Clients["owner"], home.OrganizationId, fixture.Clock.GetUtcNow());
        MatrixWorld? world = null;
        var cells = 0;
        var failures = new List<string>();

        foreach (var row in rows)
        {
            var @case = MatrixCases.All[row.Key];
            foreach (var role in PersonRoles.Append("device"))
            {
                world ??= await MatrixWorld.CreateAsync(home.Clients["owner"], home.OrganizationId, fixture.Clock.GetUtcNow());
                using var deviceClient = fixture.Host.Client(world.Device.Token);
                var caller = role == "device" ? deviceClient : home.Clients[role];
                var context = new MatrixContext(world, caller, role == "device" ? null : home.UserIds[role], home.Clients["owner"], NewTenantAsync);
                var (succeeded, failure) = await CheckCellAsync(row, role, row.Cells[role], @case, context, world);
                cells++;
                if (failure is not null)
                {
                    failures.Add(failure);
                }

                if (succeeded && @case.Dirties)
                {
                    world = null;
                }
            }

            // Another organization's people (every role) and device, aimed at this organization's data.
            var other = row.Cells["other org"];
            if (other == "—")
            {
                continue;
            }

            // An endpoint no device may call refuses every device with 403 before looking anything
            // up; one a device may call for some targets (annul: its own) looks up first, so another
            // organization's device gets the 404 anyone from there gets.
            var deviceReachable = rows.Any(r => r.Method == row.Method && r.Path == row.Path && r.Cells["device"] != "403");
            foreach (var role in PersonRoles.Append("device"))
            {
                var expected = role == "device" && !deviceReachable ? "403" : other;
                var caller = role == "device" ? awayDevice : away.Clients[role];
                var context = new MatrixContext(sharedWorld, caller, role == "device" ? null : away.UserIds[role], home.Clients["owner"], NewTenantAsync);
                var (_, failure) = await CheckCellAsync(row, $"{role} of another organization", expected, @case, context, sharedWorld);
                cells++;
                if (failure is not null)
                {
                    failures.Add(failure);
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cells} cells differ from docs/security.md:\n" + string.Join("\n", failures));
        TestContext.Current.SendDiagnosticMessage($"Role matrix: {rows.Count} rows, {cells} cells checked.");
        Assert.True(cells >= rows.Count * 6, $"Only {cells} cells were checked.");
    }

    [Fact]
    public async Task AViewer_SeesWristbandsWithoutTheirHoldersPersonalData_AMemberSeesIt()
    {
        var home = await OrganizationAsync("Privacy Org");
        var world = await MatrixWorld.CreateAsync(home.Clients["owner"], home.OrganizationId, fixture.Clock.GetUtcNow());
        var asViewer = await home.Clients["viewer"].GetOkAsync<WristbandView>($"/api/wristbands/{world.Holder.Id}");
        var asMember = await home.Clients["member"].GetOkAsync<WristbandView>($"/api/wristbands/{world.Holder.Id}");
        Assert.Null(asViewer.HolderName);
        Assert.Null(asViewer.HolderEmail);
        Assert.Equal(("Hanna Holder", "hanna@example.org"), (asMember.HolderName, asMember.HolderEmail));

        var listed = await home.Clients["viewer"].GetAsync($"/api/events/{world.Event.Id}/wristbands");
        var text = await listed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.DoesNotContain("Hanna", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hanna@example.org", text, StringComparison.Ordinal);
        Assert.Contains("hanna@example.org", await (await home.Clients["member"].GetAsync($"/api/events/{world.Event.Id}/wristbands")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private async Task<(bool Succeeded, string? Failure)> CheckCellAsync(
        RoleMatrixRow row, string who, string expected, MatrixCase @case, MatrixContext context, MatrixWorld world)
    {
        var request = await @case.Build(context);
        var refused = expected is "403" or "404";
        var before = refused ? await Db.FingerprintAsync(fixture.ConnectionString) : null;
        using var response = await (request.As ?? context.Caller).SendHeadersFirstAsync(request.Method, request.Url, request.Body);
        var status = (int)response.StatusCode;

        // A live feed's body never ends: its status and headers are the answer, and disposing hangs up.
        var body = response.Content.Headers.ContentType?.MediaType == "text/event-stream"
            ? ""
            : await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        if (status == 202 && response.Headers.Location?.OriginalString is { } job && job.StartsWith("/api/imports/", StringComparison.Ordinal))
        {
            // Accepted work goes on after the answer: let it finish, or the next refused cell sees its rows land.
            await Imports.ImportClient.FinishedAsync(context.Owner, Guid.Parse(job["/api/imports/".Length..]));
        }

        var cell = $"{row.Key} as {who}: expected {expected}, got {status}";
        switch (expected)
        {
            case "✓" when status is < 200 or > 299:
                return (false, $"{cell} {Trim(body)}");
            case "scoped" when status != 200:
                return (false, $"{cell} {Trim(body)}");
            case "scoped" when body.Contains(world.OrganizationId.ToString(), StringComparison.OrdinalIgnoreCase)
                               || body.Contains(world.Event.Id.ToString(), StringComparison.OrdinalIgnoreCase)
                               || body.Contains(world.Active.Id.ToString(), StringComparison.OrdinalIgnoreCase):
                return (false, $"{row.Key} as {who}: the list shows the other organization's data");
            case "403" or "404" when status != int.Parse(expected, System.Globalization.CultureInfo.InvariantCulture):
                return (false, $"{cell} {Trim(body)}");
            case "403" or "404" when response.Content.Headers.ContentType?.MediaType != "application/problem+json":
                return (false, $"{row.Key} as {who}: the refusal is not problem details");
            case "403" or "404" when await Db.FingerprintAsync(fixture.ConnectionString) != before:
                return (false, $"{row.Key} as {who}: refused with {status} but the database changed");
        }

        return (status is >= 200 and <= 299, null);
    }

    private static string Trim(string body) => body.Length > 300 ? body[..300] : body;

    private async Task<(ApiClient Client, Guid OrganizationId)> NewTenantAsync()
    {
        var tenant = await fixture.NewTenantAsync("Short-lived Org");
        return (fixture.Host.Client(tenant.Token), tenant.OrganizationId);
    }

    /// <summary>An organization with a person (and token) of every role.</summary>
    private async Task<(Guid OrganizationId, Dictionary<string, ApiClient> Clients, Dictionary<string, Guid> UserIds)> OrganizationAsync(string name)
    {
        var tenant = await fixture.NewTenantAsync(name);
        var owner = fixture.Host.Client(tenant.Token);
        var clients = new Dictionary<string, ApiClient> { ["owner"] = owner };
        var users = new Dictionary<string, Guid> { ["owner"] = tenant.OwnerId };
        foreach (var role in PersonRoles.Skip(1))
        {
            var member = await owner.PostOkAsync<MemberView>($"/api/organizations/{tenant.OrganizationId}/members", new { displayName = $"{role} of {name}", role });
            var token = await owner.PostOkAsync<IssuedToken>($"/api/organizations/{tenant.OrganizationId}/members/{member.UserId}/tokens", new { name = role });
            clients[role] = fixture.Host.Client(token.Secret);
            users[role] = member.UserId;
        }

        return (tenant.OrganizationId, clients, users);
    }

    /// <summary>Every /api operation in the OpenAPI document has a row, and every row is a real operation.</summary>
    private async Task AssertTableListsEveryEndpointAsync(IReadOnlyList<RoleMatrixRow> rows)
    {
        using var anonymous = fixture.Host.Client();
        var document = JsonDocument.Parse(await (await anonymous.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api", StringComparison.Ordinal) && !p.Name.StartsWith(SignedPrefix, StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name.TrimEnd('/')}"))
            .ToHashSet();
        var listed = rows.Select(r => $"{r.Method} {r.Path}").ToHashSet();
        Assert.Equal([], operations.Except(listed).Order());
        Assert.Equal([], listed.Except(operations).Order());
    }
}
