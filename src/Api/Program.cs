using EventSeries.Api.Hosting;

namespace EventSeries.Api;

/// <summary><c>EventSeries.Api</c>: the HTTP API as a separate process, a client of the silos.</summary>
public static class Program
{
    public static async Task Main(string[] args)
    {
        await using var host = await ClientHost.BuildAsync(args);
        await host.App.RunAsync();
    }
}
