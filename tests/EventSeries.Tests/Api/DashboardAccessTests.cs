using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace EventSeries.Tests.Api;

/// <summary>
/// The Orleans dashboard shows the whole cluster, so only the owners and admins of the operators'
/// organization (EventSeries:Dashboard:OrganizationId) may open it; a browser signs in with Basic
/// credentials whose password is the token; without that setting there is no dashboard at all.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class DashboardAccessTests(PostgresServer postgres)
{
    [Fact]
    public async Task OnlyTheOperatorsOwnersAndAdmins_OpenTheDashboard_WithABasicOrBearerToken()
    {
        await using var system = await OperatorsHost.StartAsync(postgres);
        var (host, operators, customer) = system;
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        var anonymous = await http.GetAsync("/dashboard/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.StartsWith("Basic realm=", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        var asOperator = await SendAsync(http, "/dashboard/", Basic(operators.Token));
        Assert.Equal(HttpStatusCode.OK, asOperator.StatusCode);
        Assert.Contains("html", (await asOperator.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ToLowerInvariant(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, "/dashboard/", new AuthenticationHeaderValue("Bearer", operators.Token))).StatusCode);

        // Another organization's owner sees nothing of the cluster.
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(http, "/dashboard/", Basic(customer.Token))).StatusCode);

        // The API's own document still builds with the dashboard's routes mapped.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).StatusCode);

        // Basic credentials are for the dashboard only: the API keeps to bearer tokens.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, "/api/events", Basic(operators.Token))).StatusCode);
    }

    [Fact]
    public async Task WithoutTheOperatorsOrganization_ThereIsNoDashboard()
    {
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync());
        var owner = await Tenant.BootstrapAsync(host.ConnectionString);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(http, "/dashboard/", new AuthenticationHeaderValue("Bearer", owner.Token))).StatusCode);
    }

    private static AuthenticationHeaderValue Basic(string token) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("anyone:" + token)));

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string path, AuthenticationHeaderValue authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        return http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
