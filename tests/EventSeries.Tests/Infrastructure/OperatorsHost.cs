namespace EventSeries.Tests.Infrastructure;

/// <summary>
/// A host whose operators' organization (<c>EventSeries:Dashboard:OrganizationId</c>) is named, and
/// a customer organization beside it: the dashboard and the cluster health are for the former only.
/// </summary>
public sealed record OperatorsHost(ApiHost Host, Tenant Operators, Tenant Customer) : IAsyncDisposable
{
    public static async Task<OperatorsHost> StartAsync(PostgresServer postgres)
    {
        var database = await postgres.CreateDatabaseAsync();
        Tenant operators, customer;
        await using (await ApiHost.StartAsync(database))
        {
            // A first start migrates the database, so the organizations exist before the setting names one.
            operators = await Tenant.BootstrapAsync(database, "Operators");
            customer = await Tenant.BootstrapAsync(database, "Customer");
        }

        var host = await ApiHost.StartAsync(database, settings: new Dictionary<string, string?>
        {
            ["EventSeries:Dashboard:OrganizationId"] = operators.OrganizationId.ToString(),
        });
        return new OperatorsHost(host, operators, customer);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
