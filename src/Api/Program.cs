using EventSeries.Api.Hosting;

namespace EventSeries.Api;

/// <summary><c>EventSeries.Api</c>: the HTTP API as a separate process, a client of the silos.</summary>
public static class Program
{
    public static Task<int> Main(string[] args) => HostRunner.RunAsync(() => ClientHost.Build(args), Console.Error);
}
