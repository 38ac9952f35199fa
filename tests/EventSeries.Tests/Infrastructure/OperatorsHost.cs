namespace EventSeries.Tests.Infrastructure;

/// <summary>
/// A host whose operators' organization (<c>EventSeries:Dashboard:OrganizationId</c>) is named, and
/// a customer organization beside it: the dashboard and the cluster health are for the former only.
/// </summary>
public sealed record OperatorsHost(ApiHost Host, Tenant Operators, Tenant Customer) : IAsyncDisposable
{
    /// <param name="settings">More configuration for the host (e.g. where the console is).</param>
    public static async Task<OperatorsHost> StartAsync(PostgresServer postgres, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = await postgres.CreateDatabaseAsync();
        Tenant operators, customer;
        await using (await ApiHost.StartAsync(database))
        {
            // A first start migrates the database, so the organizations exist before the setting names one.
            operators = await Tenant.BootstrapAsync(database, "Operators");
            customer = await Tenant.BootstrapAsync(database, "Customer");
        }

        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["EventSeries:Dashboard:OrganizationId"] = operators.OrganizationId.ToString(),
        };
        var host = await ApiHost.StartAsync(database, settings: all);
        return new OperatorsHost(host, operators, customer);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
