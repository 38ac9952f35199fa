namespace EventSeries.Tests.Infrastructure;

/// <summary>
/// One running system (silo + API on PostgreSQL) shared by a collection of API tests, with a
/// bootstrapped organization. Tests create their own events and series, so they stay independent.
/// </summary>
public sealed class ApiFixture(PostgresServer postgres) : IAsyncLifetime
{
    public ApiHost Host { get; private set; } = null!;

    public string ConnectionString => Host.ConnectionString;

    /// <summary>The host's domain clock. Tests in this collection run one after another and only move it forward.</summary>
    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => Host.Clock;

    /// <summary>Moves the clock and waits for the lifecycle sweep it may trigger (see <see cref="ApiHost.AdvanceAsync"/>).</summary>
    public Task AdvanceAsync(TimeSpan by) => Host.AdvanceAsync(by);

    public async ValueTask InitializeAsync() => Host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync());

    /// <summary>A new organization with its owner's token.</summary>
    public Task<Tenant> NewTenantAsync(string name = "Acme Events") => Tenant.BootstrapAsync(ConnectionString, name);

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
