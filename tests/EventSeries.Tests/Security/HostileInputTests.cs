using System.Net;
using System.Text;
using FsCheck.Fluent;

namespace EventSeries.Tests.Security;

/// <summary>
/// Thousands of generated hostile requests (FsCheck) against a running system: none may answer
/// 5xx, every refusal is problem details, and the database changes only when the answer was 2xx.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class HostileInputTests(PostgresServer postgres) : IAsyncLifetime
{
    /// <summary>How many generated requests one run throws at the API.</summary>
    public const int Requests = 3000;

    private ApiHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync());

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task GeneratedHostileRequests_NeverGet5xx_AndChangeNothingUnlessAnswered2xx()
    {
        var tenant = await Tenant.BootstrapAsync(_host.ConnectionString, "Fuzzed Org");
        using var owner = _host.Client(tenant.Token);
        var world = await MatrixWorld.CreateAsync(owner, tenant.OrganizationId, _host.Clock.GetUtcNow());
        var requests = HostileRequests.For(world).Sample(Requests, 30).Append(HostileRequests.Oversized(world)).ToList();

        var fingerprint = await Db.FingerprintAsync(_host.ConnectionString);
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        foreach (var request in requests)
        {
            using var message = new HttpRequestMessage(request.Method, request.Url)
            {
                Content = request.Body is null ? null : new StringContent(request.Body, Encoding.UTF8, "application/json"),
            };
            message.Headers.Authorization = new("Bearer", tenant.Token);

            // Like well-behaved clients sending big bodies: ask first, so a refusal (413) arrives before the upload.
            message.Headers.ExpectContinue = request.Body is { Length: > 1_000_000 };
            using var http = new HttpClient { BaseAddress = _host.BaseAddress };
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(message, TestContext.Current.CancellationToken);
            }
            catch (HttpRequestException e)
            {
                failures.Add($"no answer ({e.Message}) for {request}");
                continue;
            }

            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var after = await Db.FingerprintAsync(_host.ConnectionString);
            if (status >= 500)
            {
                failures.Add($"{status} for {request}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
            }
            else if (status is < 200 or > 299)
            {
                // A reused scan id admits nobody but is recorded in the audit trail, by design: one
                // more audit row, nothing else.
                var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                var recordedRefusal = status == 409 && body.Contains("\"code\":\"scan_id_reused\"", StringComparison.Ordinal);
                if (after != fingerprint && !(recordedRefusal && Db.WithoutAudit(after) == Db.WithoutAudit(fingerprint)))
                {
                    failures.Add($"{status} but the database changed, for {request}");
                }

                // The HTTP server itself refuses some requests before the application sees them, with
                // no body: a URL over its length limit (414) and a NUL in the path (400).
                var refusedByServer = status == 414 || (status == 400 && request.Url.Split('?')[0].Contains("%00", StringComparison.Ordinal));
                if (!refusedByServer && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{status} without problem details, for {request}");
                }
            }

            fingerprint = after;
        }

        var summary = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"));
        TestContext.Current.SendDiagnosticMessage($"Fuzzed {requests.Count} requests; statuses {summary}");
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests.Count} requests broke a rule (statuses {summary}):\n" + string.Join("\n", failures.Take(30)));

        // The generator really reached the API's refusals and its successes, not only one kind of answer.
        Assert.True(statuses.Where(s => s.Key is >= 400 and < 500).Sum(s => s.Value) > Requests / 2, summary);
        Assert.True(statuses.Where(s => s.Key is >= 200 and < 300).Sum(s => s.Value) > 50, summary);
        Assert.True(statuses.ContainsKey(413), summary);
    }
}
