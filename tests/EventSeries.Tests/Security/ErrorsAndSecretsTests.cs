using System.Collections.Concurrent;
using System.Net;
using EventSeries.Devices;
using EventSeries.Organizations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventSeries.Tests.Security;

/// <summary>
/// With every log level on, no token secret reaches the logs; and a fault nobody anticipated is a
/// 500 with problem details that hold no exception text or stack trace (outside Development).
/// </summary>
[Trait("Category", "Postgres")]
public sealed class ErrorsAndSecretsTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string FaultMessage = "Unanticipated fault with internal detail xyzzy";
    private readonly LogCapture _logs = new();
    private ApiHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await ApiHost.StartAsync(
        await postgres.CreateDatabaseAsync(),
        services: services =>
        {
            services.AddSingleton<ILoggerProvider>(_logs);
            services.AddSingleton<IStartupFilter, FaultingEndpoint>();
        },
        settings: new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace", ["Logging:LogLevel:Microsoft"] = "Trace", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace", ["Logging:LogLevel:Orleans"] = "Debug" });

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task TokenSecrets_NeverAppearInTheLogs_EvenAtTraceLevel()
    {
        var tenant = await Tenant.BootstrapAsync(_host.ConnectionString, "Logged Org");
        using var owner = _host.Client(tenant.Token);
        var me = await owner.GetOkAsync<List<OrganizationView>>("/api/organizations");
        var member = await owner.PostOkAsync<MemberView>($"/api/organizations/{tenant.OrganizationId}/members", new { displayName = "Logan", role = "member" });
        var issued = await owner.PostOkAsync<IssuedToken>($"/api/organizations/{tenant.OrganizationId}/members/{member.UserId}/tokens", new { });
        using var asMember = _host.Client(issued.Secret);
        await asMember.GetOkAsync<List<OrganizationView>>("/api/organizations");
        var ev = await owner.PostOkAsync<Events.EventView>("/api/events", new { name = "Logged Fest" });
        var device = await owner.PostOkAsync<IssuedDevice>($"/api/events/{ev.Id}/devices", new { name = "Handheld" });
        using var asDevice = _host.Client(device.Token);
        await asDevice.GetOkAsync<List<EventSeries.Persistence.Queries.ScannableSeries>>("/api/series/scannable");
        await owner.DeleteAsync($"/api/organizations/{tenant.OrganizationId}/tokens/{issued.Token.Id}");
        using var guesser = _host.Client("es_a-guessed-secret-that-must-not-be-logged");
        await ApiClient.ProblemAsync(await asMember.GetAsync("/api/organizations"), HttpStatusCode.Unauthorized);
        await ApiClient.ProblemAsync(await guesser.GetAsync("/api/organizations"), HttpStatusCode.Unauthorized);

        Assert.NotEmpty(me);
        Assert.True(_logs.Lines.Count > 50, $"Only {_logs.Lines.Count} log lines: is logging on?");
        foreach (var secret in new[] { tenant.Token, issued.Secret, device.Token, "es_a-guessed-secret-that-must-not-be-logged" })
        {
            Assert.DoesNotContain(_logs.Lines, line => line.Contains(secret, StringComparison.Ordinal) || line.Contains(secret[3..], StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task AnUnanticipatedFault_Is500ProblemDetails_WithoutExceptionTextOrStackTrace()
    {
        using var client = _host.Client();
        var response = await client.GetAsync(FaultingEndpoint.Path);
        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.InternalServerError);
        var text = problem.GetRawText();
        Assert.DoesNotContain("xyzzy", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", text, StringComparison.Ordinal);

        // It is logged for operators, though.
        Assert.Contains(_logs.Lines, line => line.Contains("xyzzy", StringComparison.Ordinal));
    }

    /// <summary>Wrong-typed JSON, each with the path and the JSON kind the answer must name.</summary>
    public static TheoryData<string, string, string, string> WrongTypedBodies() => new()
    {
        { "/api/series", """{"capacity":"abc"}""", "$.capacity", "number" },
        { "/api/series", """{"capacity":1.5}""", "$.capacity", "number" },
        { "/api/series", """{"capacity":99999999999}""", "$.capacity", "number" },
        { "/api/series", """{"name":5}""", "$.name", "string" },
        { "/api/series", """{"startsAt":true}""", "$.startsAt", "string" },
        { "/api/series", """{"eventId":"not-a-uuid"}""", "$.eventId", "string" },
        { "/api/series", """{"reentry":"sometimes"}""", "$.reentry", "string" },
        { "/api/series", """{"gateIds":{"a":1}}""", "$.gateIds", "array" },
        { "/api/series", """{"gateIds":["x"]}""", "$.gateIds[0]", "string" },
        { "/api/series", """{"checkInWindow":[1]}""", "$.checkInWindow", "object" },
        { "/api/series", """{"checkInWindow":{"opensMinutesBeforeStart":"soon"}}""", "$.checkInWindow.opensMinutesBeforeStart", "number" },
        { "/api/series", """{"categoryLimits":[{"category":"vip","maxWristbands":{}}]}""", "$.categoryLimits[0].maxWristbands", "number" },
        { "/api/series/recurring", """{"publish":"yes"}""", "$.publish", "boolean" },
        { "/api/series/recurring", """{"recurrence":"FREQ=DAILY"}""", "$.recurrence", "object" },
        { "/api/series", """{"colour":"red"}""", "$.colour", "field" },
        { "/api/series", """{"name":"x",""", "$", "JSON" },
        { "/api/series", """{"name":"a\u0000b"}""", "$.name", "NUL" },
    };

    [Theory]
    [MemberData(nameof(WrongTypedBodies))]
    public async Task WrongTypedJson_Is400NamingThePathAndTheJsonKind_WithoutDotNetTypeNames(string url, string body, string path, string kind)
    {
        var tenant = await Tenant.BootstrapAsync(_host.ConnectionString, "Typed Org");
        using var client = _host.Client(tenant.Token);

        var response = await client.SendRawAsync(HttpMethod.Post, url, body);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.BadRequest, "malformed_request");
        var text = problem.GetRawText();
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("EventSeries.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Request", detail, StringComparison.Ordinal);
        Assert.Contains(path, detail, StringComparison.Ordinal);
        Assert.Contains(kind, detail, StringComparison.Ordinal);
    }

    /// <summary>An endpoint that fails the way an unforeseen bug would, behind the API's whole error handling.</summary>
    private sealed class FaultingEndpoint : IStartupFilter
    {
        public const string Path = "/test-only/fault";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Map(Path, fault => fault.Run(_ => throw new InvalidOperationException(FaultMessage)));
        };
    }

    /// <summary>Every log line of the host, formatted, with its exception.</summary>
    private sealed class LogCapture : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyCollection<string> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            _lines.Enqueue("scope: " + state);
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Enqueue($"{logLevel} {formatter(state, exception)} {exception}");

        public void Dispose()
        {
        }
    }
}
