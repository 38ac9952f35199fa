using System.Net;

namespace EventSeries.Tests.WebConsole;

/// <summary>Without a built console, / says how to build it (503 problem details), never a 500; the API is unaffected.</summary>
[Trait("Category", "Postgres")]
public sealed class ConsoleNotBuiltTests(PostgresServer postgres)
{
    [Fact]
    public async Task WithoutTheBuiltConsole_TheRootAnswers503NamingTheBuildScript_AndTheApiStillAnswers()
    {
        var empty = Directory.CreateTempSubdirectory("console-not-built-");
        try
        {
            await using var host = await ApiHost.StartAsync(
                await postgres.CreateDatabaseAsync(),
                settings: new Dictionary<string, string?> { ["EventSeries:Console:Root"] = empty.FullName });
            using var http = new HttpClient { BaseAddress = host.BaseAddress };

            var root = await http.GetAsync("/", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, root.StatusCode);
            Assert.Equal("application/problem+json", root.Content.Headers.ContentType?.MediaType);
            var body = await root.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.Contains("scripts/build-web.sh", body);
            Assert.Contains("console_not_built", body);

            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live", TestContext.Current.CancellationToken)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/organizations", TestContext.Current.CancellationToken)).StatusCode);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }
}
