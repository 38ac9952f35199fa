using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using EventSeries.CheckIns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventSeries.Tests.Api;

/// <summary>
/// A scan's log line, its trace and its row in checkin_logs join: the line (at Debug) names the
/// check-in id and is written inside the request's trace (the scanner's own traceparent, here).
/// </summary>
[Trait("Category", "Postgres")]
public sealed class ScanTraceJoinTests(PostgresServer postgres)
{
    [Fact]
    public async Task AScansDebugLine_CarriesItsTraceIdAndCheckinId_WhichIsItsRow()
    {
        var database = await postgres.CreateDatabaseAsync();
        var logs = new ScopedLogCapture();
        await using var host = await ApiHost.StartAsync(database, services: s => s.AddSingleton<ILoggerProvider>(logs), settings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:EventSeries.Api.Scans"] = "Debug",
        });
        var tenant = await Tenant.BootstrapAsync(database);
        using var client = host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(client, host.Clock.GetUtcNow(), general: 1, vip: 0);
        var traceId = Guid.NewGuid().ToString("N");
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/events/{g.Event.Id}/scans")
        {
            Content = JsonContent.Create(new { nfcId = g.Wristbands[0].NfcId, gateId = g.Main.Id, direction = "in" }),
        };
        request.Headers.Authorization = new("Bearer", tenant.Token);
        request.Headers.Add("traceparent", $"00-{traceId}-{Guid.NewGuid().ToString("N")[..16]}-01");

        var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var verdict = await ApiClient.ReadAsync<ScanVerdict>(response, HttpStatusCode.OK);

        var line = Assert.Single(logs.Lines, l => l.TraceId == traceId && l.Text.StartsWith("Scan ", StringComparison.Ordinal));
        Assert.Contains($"check-in {verdict.CheckinId}", line.Text, StringComparison.Ordinal);
        Assert.Equal(1, await Db.CountAsync(database, "SELECT count(*) FROM checkin_logs WHERE id = @id AND result = 'allowed'", ("id", verdict.CheckinId)));
    }

    /// <summary>Log lines with the TraceId of the scopes they were written in.</summary>
    private sealed class ScopedLogCapture : ILoggerProvider, ISupportExternalScope, ILogger
    {
        private readonly ConcurrentQueue<(string? TraceId, string Text)> _lines = new();
        private IExternalScopeProvider? _scopes;

        public IReadOnlyCollection<(string? TraceId, string Text)> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => this;

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => _scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string? traceId = null;
            _scopes?.ForEachScope<object?>((scope, _) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs && pairs.FirstOrDefault(p => p.Key == "TraceId").Value is { } id)
                {
                    traceId = id.ToString();
                }
            }, null);
            _lines.Enqueue((traceId, formatter(state, exception)));
        }

        public void Dispose()
        {
        }
    }
}
