using System.Diagnostics;
using EventSeries.Api.Hosting;
using EventSeries.Silo.Hosting;
using Microsoft.AspNetCore.Builder;

namespace EventSeries.Tests.Api;

/// <summary>
/// What a production host does at start: it reads its database from configuration and provisions
/// none, refuses bad options with one line naming the key, and only silos change the schema.
/// </summary>
public sealed class HostStartTests(PostgresServer postgres)
{
    // Never connected to: every refusal here happens before anything opens a connection.
    private const string Unreachable = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none";

    /// <summary>The silo's real entry point, as <c>dotnet run --project src/Silo</c> starts it with no connection string.</summary>
    [Fact]
    public async Task SiloProcess_WithoutAConnectionString_ExitsNonZero_WithOneLineNamingTheSetting()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "EventSeries.Silo.dll"), "--urls", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("ConnectionStrings__EventSeries");
        using var silo = Process.Start(start)!;
        var error = silo.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var output = silo.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await silo.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HostRunner.Refused, silo.ExitCode);
        var line = Assert.Single((await error).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("EventSeries cannot start: ", line);
        Assert.Contains("ConnectionStrings:EventSeries is not set", line);
        Assert.Equal("", await output);
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("api")]
    public async Task AHost_WithAnEmptyConnectionString_IsRefusedInOneLine(string host)
    {
        var (exit, error) = await RunAsync(host, new() { ["ConnectionStrings:EventSeries"] = "" });

        Assert.Equal(HostRunner.Refused, exit);
        Assert.Contains("ConnectionStrings:EventSeries is not set", Assert.Single(error));
    }

    [Theory]
    [InlineData("silo", "Lifecycle:BatchSize", "0")]
    [InlineData("silo", "Lifecycle:SweepPeriod", "00:00:00")]
    [InlineData("silo", "Orleans:SiloPort", "70000")]
    [InlineData("silo", "Orleans:AdvertisedIP", "not-an-address")]
    [InlineData("api", "Orleans:ClusterId", "")]
    [InlineData("api", "EventSeries:ForwardedHeaders:KnownProxies:0", "proxy.example")]
    [InlineData("api", "EventSeries:Scans:Deadline", "00:00:00")]
    [InlineData("silo", "EventSeries:Scans:MaxRetryDelay", "00:00:00.001")]
    [InlineData("api", "Orleans:Messaging:ResponseTimeout", "00:00:00")]
    [InlineData("silo", "Orleans:Messaging:SystemResponseTimeout", "-00:00:01")]
    [InlineData("silo", "Orleans:Membership:MaxProbeTimeout", "00:00:00.5")]
    [InlineData("silo", "Capacity:CoordinatorAnswerWait", "00:00:01")] // not shorter than ShardAnswerWait
    public async Task ABadOptionValue_IsRefusedAtStart_NamingItsKey(string host, string key, string value)
    {
        var (exit, error) = await RunAsync(host, new() { ["ConnectionStrings:EventSeries"] = Unreachable, [key] = value });

        Assert.Equal(HostRunner.Refused, exit);
        Assert.Contains(key.TrimEnd(':', '0'), Assert.Single(error));
    }

    /// <summary>The API alone never migrates: on an empty database it refuses to start and leaves it empty.</summary>
    [Fact]
    [Trait("Category", "Postgres")]
    public async Task ApiClient_OnAnEmptyDatabase_RefusesToStart_AndCreatesNothing()
    {
        var empty = await postgres.CreateEmptyDatabaseAsync();
        await using var api = ClientHost.Build([], Settings(empty));

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => api.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("./run.sh migrate", HostRunner.Refusal(refused));
        Assert.Equal(0, await Db.CountAsync(empty, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
    }

    /// <summary>A silo migrates before it joins the cluster, so it starts on an empty database.</summary>
    [Fact]
    [Trait("Category", "Postgres")]
    public async Task Silo_OnAnEmptyDatabase_MigratesItBeforeJoiningTheCluster()
    {
        var empty = await postgres.CreateEmptyDatabaseAsync();
        await using var silo = await ApiHost.StartAsync(empty);

        Assert.Equal(1, await Db.CountAsync(empty, "SELECT count(*) FROM orleansmembershiptable WHERE status = 3"));
        Assert.True(await Db.CountAsync(empty, "SELECT count(*) FROM pg_tables WHERE tablename = 'event_series'") == 1);
    }

    private static Dictionary<string, string?> Settings(string connectionString) => new()
    {
        ["ConnectionStrings:EventSeries"] = connectionString,
        ["urls"] = "http://127.0.0.1:0",
        ["Orleans:ClusterId"] = "start-" + Guid.NewGuid().ToString("N")[..8],
        ["Logging:LogLevel:Default"] = "Warning",
    };

    private static async Task<(int Exit, string[] Error)> RunAsync(string host, Dictionary<string, string?> settings)
    {
        settings["urls"] = "http://127.0.0.1:0";
        using var error = new StringWriter();
        Func<WebApplication> build = host == "silo" ? () => SiloHost.Build([], settings) : () => ClientHost.Build([], settings);
        var exit = await HostRunner.RunAsync(build, error);
        return (exit, error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
